/**
 * The browser-mode access token. The server opens the page as /?token=T; the page
 * reads T once, keeps it in sessionStorage (this tab only, so a reload and each
 * reconnect can still present it) and removes it from the address bar and the
 * history with history.replaceState, so it is not bookmarked or shared by accident.
 */
const KEY = 'vglab.token';

export interface TokenEnv {
  location: Pick<Location, 'search' | 'pathname' | 'hash'>;
  history: Pick<History, 'replaceState' | 'state'>;
  storage: Pick<Storage, 'getItem' | 'setItem'>;
}

/** The token from the URL (then hidden) or from this tab's earlier visit; null when there is none. */
export function readToken(env: TokenEnv): string | null {
  const params = new URLSearchParams(env.location.search);
  const fromUrl = params.get('token');
  if (fromUrl) {
    try {
      env.storage.setItem(KEY, fromUrl);
    } catch {
      // Storage can be disabled; the token still works for this page's lifetime.
    }
    params.delete('token');
    const rest = params.toString();
    env.history.replaceState(env.history.state, '', `${env.location.pathname}${rest ? `?${rest}` : ''}${env.location.hash}`);
    return fromUrl;
  }
  try {
    return env.storage.getItem(KEY);
  } catch {
    return null;
  }
}
