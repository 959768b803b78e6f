import { createHmac } from 'node:crypto';

/**
 * Alibaba Cloud RPC signature version 1.0 (HMAC-SHA1), a pure function of its inputs so it can be
 * checked against Alibaba's published known answers.
 *
 * @see https://www.alibabacloud.com/help/en/vod/developer-reference/request-signatures
 * @see https://www.alibabacloud.com/help/en/sdk/product-overview/rpc-mechanism
 */

export type RpcParams = Readonly<Record<string, string>>;

/**
 * Alibaba's percent-encoding: RFC 3986, where only A-Z a-z 0-9 - _ . ~ stay as they are. Unlike
 * encodeURIComponent, it also encodes ! ' ( ) *, and a space becomes %20 (never +).
 */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** The parameters sorted by name, each pair encoded, joined with &. */
export function canonicalizedQuery(params: RpcParams): string {
  return Object.keys(params)
    .sort()
    .map((key) => `${percentEncode(key)}=${percentEncode(params[key] as string)}`)
    .join('&');
}

export function stringToSign(method: 'GET' | 'POST', params: RpcParams): string {
  return `${method}&${percentEncode('/')}&${percentEncode(canonicalizedQuery(params))}`;
}

/** The `Signature` parameter for a request whose other parameters are `params`. */
export function signRpcRequest(
  method: 'GET' | 'POST',
  params: RpcParams,
  accessKeySecret: string,
): string {
  return createHmac('sha1', `${accessKeySecret}&`)
    .update(stringToSign(method, params), 'utf8')
    .digest('base64');
}

export interface SigningCredentials {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly securityToken?: string;
}

/**
 * The parameters every RPC call carries, with the action's own. `timestamp` and `nonce` are inputs
 * so a retry can be re-signed with new ones and a test can pin them.
 */
export function rpcParams(
  action: Readonly<Record<string, string>>,
  version: string,
  credentials: SigningCredentials,
  timestamp: Date,
  nonce: string,
): Record<string, string> {
  const params: Record<string, string> = {
    ...action,
    Format: 'JSON',
    Version: version,
    AccessKeyId: credentials.accessKeyId,
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    SignatureNonce: nonce,
    // ISO 8601 in UTC without milliseconds, as the API requires: 2017-03-21T12:00:00Z.
    Timestamp: timestamp.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
  if (credentials.securityToken !== undefined) {
    params.SecurityToken = credentials.securityToken;
  }
  return params;
}

/** The full, signed query string for a GET request. */
export function signedQuery(
  params: RpcParams,
  accessKeySecret: string,
  method: 'GET' | 'POST' = 'GET',
): string {
  const signature = signRpcRequest(method, params, accessKeySecret);
  return `${canonicalizedQuery(params)}&Signature=${percentEncode(signature)}`;
}
