// A minimal "browser" for oidc-provider's dev login and consent pages: follows redirects, keeps cookies, submits the forms.

/**
 * Walks from `startUrl` (an authorization URL) through login and consent until the browser is sent to `redirectUri`,
 * and returns that final URL. With `deny`, it presses the provider's abort button instead of consenting.
 */
export async function driveBrowserFlow(startUrl: string, redirectUri: string, login: string, opts: { deny?: boolean } = {}): Promise<URL> {
  const jar = new Map<string, string>();
  const remember = (res: Response) => {
    for (const sc of res.headers.getSetCookie()) {
      const [pair, ...attrs] = sc.split(';');
      const eqAt = pair!.indexOf('=');
      const name = pair!.slice(0, eqAt).trim();
      const value = pair!.slice(eqAt + 1).trim();
      const expired = attrs.some((a) => /^\s*expires=/i.test(a) && Date.parse(a.split('=')[1]!) < Date.now());
      if (!value || expired) jar.delete(name);
      else jar.set(name, value);
    }
  };
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');

  let url = startUrl;
  let method = 'GET';
  let body: string | undefined;
  for (let hop = 0; hop < 20; hop++) {
    if (url.startsWith(redirectUri)) return new URL(url);
    const res = await fetch(url, {
      method,
      redirect: 'manual',
      headers: {
        cookie: cookieHeader(),
        ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body,
    });
    remember(res);
    method = 'GET';
    body = undefined;
    if (res.status >= 300 && res.status < 400) {
      url = new URL(res.headers.get('location')!, url).toString();
      await res.arrayBuffer();
      continue;
    }
    const html = await res.text();
    if (res.status !== 200) throw new Error(`unexpected ${res.status} at ${url}: ${html.slice(0, 500)}`);
    const action = /<form[^>]*action="([^"]+)"[^>]*method="post"/i.exec(html)?.[1];
    const prompt = /name="prompt" value="([^"]+)"/.exec(html)?.[1];
    if (!action || !prompt) throw new Error(`no interaction form at ${url}: ${html.slice(0, 500)}`);
    const abort = /action="([^"]*\/abort)"/i.exec(html)?.[1] ?? /href="([^"]*\/abort)"/i.exec(html)?.[1];
    if (opts.deny && abort) {
      url = new URL(abort.replace(/&amp;/g, '&'), url).toString();
      method = /action="[^"]*\/abort"/i.test(html) ? 'POST' : 'GET';
      continue;
    }
    url = new URL(action.replace(/&amp;/g, '&'), url).toString();
    method = 'POST';
    body = new URLSearchParams(prompt === 'login' ? { prompt, login, password: 'any' } : { prompt }).toString();
  }
  throw new Error('too many hops');
}

