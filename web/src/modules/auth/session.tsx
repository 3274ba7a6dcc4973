/** Who is signed in: the /auth/me query, sign-out, and the return to sign-in when a session ends. */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { api, ApiError, onUnauthenticated, unwrap, type MeResponse } from "../../api/client";

interface Session {
  me: MeResponse | null;
  isLoading: boolean;
  /** Why the last session ended (an error code such as `session_expired`), for the sign-in page. */
  endedBecause: string | null;
  refresh: () => Promise<void>;
  logout: () => Promise<void>;
}

const SessionContext = createContext<Session | null>(null);
export const ME_KEY = ["auth", "me"] as const;

/** The first-load check: /ui/session answers 200 with `me: null` (and why) instead of a 401. */
async function fetchSession(): Promise<{ me: MeResponse | null; reason: string | null }> {
  const data = await unwrap(api.GET("/api/v1/ui/session"));
  return { me: data.me ?? null, reason: data.reason ?? null };
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [endedBecause, setEndedBecause] = useState<string | null>(null);
  const me = useQuery({
    queryKey: ME_KEY,
    queryFn: async () => {
      const found = await fetchSession();
      if (!found.me && found.reason) setEndedBecause(found.reason);
      return found.me;
    },
    staleTime: 60_000,
    retry: false,
  });

  useEffect(
    () =>
      onUnauthenticated((error) => {
        if (queryClient.getQueryData(ME_KEY)) {
          setEndedBecause(error.code);
          queryClient.setQueryData(ME_KEY, null);
          queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== ME_KEY[0] });
        }
      }),
    [queryClient],
  );

  const refresh = useCallback(async () => {
    const found = await fetchSession();
    setEndedBecause(null);
    queryClient.setQueryData(ME_KEY, found.me);
  }, [queryClient]);

  const logout = useCallback(async () => {
    try {
      await unwrap(api.POST("/api/v1/auth/logout"));
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) throw error;
    }
    setEndedBecause(null);
    queryClient.clear();
    queryClient.setQueryData(ME_KEY, null);
  }, [queryClient]);

  const value = useMemo<Session>(
    () => ({ me: me.data ?? null, isLoading: me.isLoading, endedBecause, refresh, logout }),
    [me.data, me.isLoading, endedBecause, refresh, logout],
  );
  if (me.error) {
    return (
      <div style={{ padding: 48, textAlign: "center" }} role="alert">
        <p>{errorText(me.error)}</p>
        <button type="button" onClick={() => void me.refetch()}>↻</button>
      </div>
    );
  }
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession outside SessionProvider");
  return session;
}
