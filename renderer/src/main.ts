// Entry point: pick the transport (Electron IPC or the browser-mode WebSocket),
// install it for the stores, mount the app.
import './zodJitless.ts';
import { createPinia } from 'pinia';
import { createApp } from 'vue';

import { installLab } from './api/api.ts';
import { pickTransport } from './api/pick.ts';
import App from './App.vue';
import './styles/theme.css';

installLab(pickTransport());
createApp(App).use(createPinia()).mount('#app');
