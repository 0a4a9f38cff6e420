/**
 * The WHATWG URL class is a global in every runtime shared/ runs in (Node, Chromium, Electron), but it
 * is neither ECMAScript nor allowed to pull in the DOM lib or Node types here. This declares the part
 * shared/ uses; only tsconfig.shared.json includes it (the other layers get the real lib types).
 */
interface SharedURLSearchParams {
  get(name: string): string | null;
  has(name: string): boolean;
  delete(name: string): void;
}
interface SharedURL {
  readonly origin: string;
  readonly protocol: string;
  readonly host: string;
  readonly hostname: string;
  pathname: string;
  search: string;
  username: string;
  password: string;
  readonly searchParams: SharedURLSearchParams;
  toString(): string;
}
declare const URL: { new (url: string, base?: string): SharedURL };
type URL = SharedURL;
