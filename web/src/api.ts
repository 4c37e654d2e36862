/** The HTTP API client: JSON in and out, errors as ApiError with the server's stable code. */

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    /** The error's `details` (e.g. IVR_FLOW_INVALID's problems with their JSON paths). */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export interface Api {
  get: <T>(path: string) => Promise<T>;
  post: <T>(path: string, body?: unknown) => Promise<T>;
  patch: <T>(path: string, body: unknown) => Promise<T>;
  put: <T>(path: string, body: unknown) => Promise<T>;
  del: (path: string) => Promise<void>;
  /** Binary answers (audio). */
  getBlob: (path: string) => Promise<Blob>;
  /** PUT of a binary body (an audio upload). */
  putBlob: <T>(path: string, body: Blob, type: string) => Promise<T>;
  /** POST of a raw body (a CSV upload). */
  postBlob: <T>(path: string, body: Blob, type: string) => Promise<T>;
}

/** An API client with the session token; `onSessionEnded` runs on 401 (expired or revoked token). */
export function createApi(token: string | null, onSessionEnded: () => void): Api {
  async function send(method: string, path: string, body?: unknown, type?: string): Promise<Response> {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = type ?? 'application/json';
    let res: Response;
    try {
      res = await fetch(`/api${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : body instanceof Blob ? body : JSON.stringify(body),
      });
    } catch {
      throw new ApiError('NETWORK', 'network error', 0);
    }
    if (!res.ok) {
      const text = await res.text();
      let err: { code?: string; message?: string; details?: Record<string, unknown> } | undefined;
      try {
        err = (JSON.parse(text) as { error?: typeof err }).error;
      } catch {
        err = undefined;
      }
      if (res.status === 401 && token) onSessionEnded();
      throw new ApiError(err?.code ?? 'UNKNOWN', err?.message ?? res.statusText, res.status, err?.details);
    }
    return res;
  }
  async function request<T>(method: string, path: string, body?: unknown, type?: string): Promise<T> {
    const res = await send(method, path, body, type);
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    return (text ? (JSON.parse(text) as unknown) : undefined) as T;
  }
  return {
    get: (p) => request('GET', p),
    post: (p, b) => request('POST', p, b ?? {}),
    patch: (p, b) => request('PATCH', p, b),
    put: (p, b) => request('PUT', p, b),
    del: (p) => request<void>('DELETE', p),
    getBlob: async (p) => (await send('GET', p)).blob(),
    putBlob: (p, b, type) => request('PUT', p, b, type),
    postBlob: (p, b, type) => request('POST', p, b, type),
  };
}

/** The error's stable code ("NETWORK" when the server could not be reached). */
export function errorCode(err: unknown): string {
  return err instanceof ApiError ? err.code : 'UNKNOWN';
}
