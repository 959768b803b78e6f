import { Injectable } from '@nestjs/common';
import { AppError } from '../common/app-error';
import { VodConfig } from '../config/app-config';
import { type SigningCredentials } from './vod-signer';

/** No AccessKey is configured: the service runs, reports itself not ready, and answers 503. */
export class MissingCredentialsError extends AppError {
  readonly status = 503;
  readonly code = 'service.not_configured';
  readonly title = 'Service not configured';

  constructor() {
    super(
      'The service has no credentials for VOD yet.',
      'no AccessKey configured: set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET',
    );
  }
}

/**
 * Where the AccessKey (and STS token) for signing comes from. Today: the environment
 * (ALIBABA_CLOUD_ACCESS_KEY_ID / _SECRET / _SECURITY_TOKEN).
 */
@Injectable()
export class VodCredentials {
  constructor(private readonly config: VodConfig) {}

  resolve(): Promise<SigningCredentials> {
    const credentials = this.config.credentials;
    return credentials === undefined
      ? Promise.reject(new MissingCredentialsError())
      : Promise.resolve(credentials);
  }
}
