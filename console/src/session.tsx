// The signed-in API key: kept in this tab's sessionStorage only (never in the URL, never logged); a 401 signs out.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { endpoints, Unauthorized, type Endpoints, type Me } from './api';

const STORAGE_KEY = 'steward.apiKey';

interface Session {
  key: string | null;
  /** The key's principal and actions, once known. */
  me: Me | null;
  /** Why the last session ended, shown on the sign-in screen. */
  notice: string | null;
  signIn(key: string, me: Me): void;
  signOut(notice?: string): void;
  /** Whether the console should offer an action (the API decides in the end). */
  can(action: string): boolean;
}

const SessionContext = createContext<Session | null>(null);

function readKey(): string | null {
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [key, setKey] = useState<string | null>(readKey);
  const [me, setMe] = useState<Me | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const signOut = useCallback((why?: string) => {
    sessionStorage.removeItem(STORAGE_KEY);
    setNotice(why ?? null);
    setMe(null);
    setKey(null);
  }, []);

  const signIn = useCallback((value: string, who: Me) => {
    sessionStorage.setItem(STORAGE_KEY, value);
    setNotice(null);
    setMe(who);
    setKey(value);
    void endpoints(value).codecSession();
  }, []);

  // A key kept from earlier in this tab (a reload): learn again who it is.
  useEffect(() => {
    if (!key || me) return;
    let live = true;
    endpoints(key)
      .me()
      .then((who) => live && setMe(who))
      .catch((err) => live && signOut(err instanceof Unauthorized ? 'The API no longer accepts this key. Sign in again.' : (err as Error).message));
    return () => {
      live = false;
    };
  }, [key, me, signOut]);

  const can = useCallback((action: string) => !me || me.actions === null || me.actions.includes(action), [me]);
  const value = useMemo(() => ({ key, me, notice, signIn, signOut, can }), [key, me, notice, signIn, signOut, can]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** The API bound to the signed-in key; any 401 ends the session and returns to sign-in. */
export function useApi(): Endpoints {
  const { key, signOut } = useSession();
  return useMemo(() => {
    const bound = endpoints(key ?? '');
    const guarded = {} as Record<string, unknown>;
    for (const [name, fn] of Object.entries(bound)) {
      guarded[name] = async (...args: unknown[]) => {
        try {
          return await (fn as (...a: unknown[]) => Promise<unknown>)(...args);
        } catch (err) {
          if (err instanceof Unauthorized) signOut('The API no longer accepts this key. Sign in again.');
          throw err;
        }
      };
    }
    return guarded as Endpoints;
  }, [key, signOut]);
}
