/**
 * The engine host process: one training run, in a process of its own, so that a
 * crash or a hang in the native engine costs that run and never the app. Started
 * by a HostLauncher (nodeLauncher.ts under Node; a utilityProcess in Electron);
 * protocol.ts lists what it understands and what it answers. (Tests can make it
 * crash on purpose: faultInjection.ts.)
 */
import { withFaultInjection } from './faultInjection.ts';
import { connectToParent } from './parentPort.ts';
import { TrainingHost } from './trainingHost.ts';

const parent = connectToParent();
const host = new TrainingHost(withFaultInjection(parent));
parent.onCommand((command) => host.handle(command));
