// For the root `tsc` (which does not compile .vue files): a component test's
// .vue import is a component. vue-tsc checks the files themselves (renderer/tsconfig.json).
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}
