/** Admin queries several settings panels share (roles and users appear in the roles, users and org panels). */
import { useQuery } from "@tanstack/react-query";
import { api, unwrap, type Schemas } from "../../api/client";

export type AdminUser = Schemas["UserOut"];
export const ROLES_KEY = ["admin", "roles"] as const;
export const USERS_KEY = ["admin", "users"] as const;

export function useRoles() {
  return useQuery({ queryKey: ROLES_KEY, queryFn: () => unwrap(api.GET("/api/v1/roles", { params: { query: { limit: 500 } } })) });
}

/** Full user records (the endpoint answers administrators with UserOut). */
export function useAdminUsers() {
  return useQuery({
    queryKey: USERS_KEY,
    queryFn: async () => (await unwrap(api.GET("/api/v1/users", { params: { query: { limit: 500 } } }))) as { data: AdminUser[]; total: number },
  });
}
