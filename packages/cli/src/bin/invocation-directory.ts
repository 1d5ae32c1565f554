/**
 * The directory the user typed the command in. pnpm (like npm) runs a package script from the package's root and
 * passes the directory it was invoked from as INIT_CWD; only our own `mstress` script of the workspace is trusted
 * to mean that (a user's script that calls an installed `mstress` keeps its working directory, as any program).
 */
export function invocationDirectory(env: Readonly<Record<string, string | undefined>>, cwd: string): string {
  const viaWorkspaceScript = env.npm_lifecycle_event === "mstress" && env.npm_package_name === "mstress-workspace";
  const initial = env.INIT_CWD;
  return viaWorkspaceScript && initial !== undefined && initial !== "" ? initial : cwd;
}
