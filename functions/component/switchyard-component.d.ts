/** The user's component module, resolved by the compiler's esbuild plugin. */
declare module 'switchyard:component' {
  const component: Record<string, unknown>;
  export = component;
}
