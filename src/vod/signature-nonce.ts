import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';

/** A fresh SignatureNonce per signed request (VOD refuses a nonce it has seen within 15 minutes). */
@Injectable()
export class SignatureNonce {
  next(): string {
    return randomUUID();
  }
}
