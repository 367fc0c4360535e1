/**
 * The Train view's chart groups, one tab each, so the page is a few charts at a
 * time rather than a wall of them (and only the shown group's charts are built).
 * "Through time" exists only for networks with recurrent layers.
 */
import { ref } from 'vue';

export type ChartGroupId = 'overview' | 'layers' | 'time' | 'distributions' | 'theory' | 'network';

export interface ChartGroup {
  id: ChartGroupId;
  /** The tab's text and accessible name. */
  label: string;
  /** What the group shows (the tab's tooltip). */
  description: string;
}

export const CHART_GROUPS: readonly ChartGroup[] = [
  { id: 'overview', label: 'Overview', description: 'Loss, the gradient reaching each layer over training, and its profile at the selected step' },
  { id: 'layers', label: 'Layers', description: 'Layer x step heatmap, gradient flow per tensor, saturated and dead units' },
  { id: 'time', label: 'Through time', description: 'The gradient reaching each timestep of a recurrent layer, its horizon, and how saturated its gates are' },
  { id: 'distributions', label: 'Distributions', description: 'Histograms of gradient magnitudes per tensor over training' },
  { id: 'theory', label: 'Theory', description: 'The measured gradient against the bound the activation slopes set' },
  { id: 'network', label: 'Network', description: 'Jacobian singular values and the decision boundary of the trained network' },
];

/** The groups a run's charts offer: every group, "Through time" only for a recurrent network. */
export function availableGroups(recurrent: boolean): ChartGroup[] {
  return CHART_GROUPS.filter((g) => g.id !== 'time' || recurrent);
}

/** The group shown; module state, so it survives leaving the Train view and coming back. */
export const activeGroup = ref<ChartGroupId>('overview');
