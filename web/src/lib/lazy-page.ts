import { createElement, type ComponentType } from 'react';

export interface LazyPage {
  (): ReturnType<typeof createElement>;
  /** Starts loading the page's code (once); resolves when it is ready. */
  preload(): Promise<void>;
}

/**
 * A page whose code loads on first visit, like React.lazy, but which can be loaded ahead of its first
 * render: at start the current address's page is fetched beside the session check, and a page already
 * loaded renders at once. (React.lazy always suspends on its first render, and React then holds the
 * revealed content back for up to 300 ms to throttle fallbacks: most of the dashboard's first second.)
 */
export function lazyPage(load: () => Promise<{ default: ComponentType }>): LazyPage {
  let loaded: ComponentType | undefined;
  let loading: Promise<void> | undefined;
  const preload = () =>
    (loading ??= load().then(
      (module) => {
        loaded = module.default;
      },
      (error: unknown) => {
        loading = undefined; // a failed chunk (a deploy replaced it, the network dropped) is tried again
        throw error;
      },
    ));
  function Page() {
    if (!loaded) throw preload(); // Suspense shows the fallback until the code is there
    return createElement(loaded);
  }
  return Object.assign(Page, { preload });
}
