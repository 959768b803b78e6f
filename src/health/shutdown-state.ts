import { Injectable } from '@nestjs/common';

/**
 * Whether the process is draining: set on SIGTERM, before the listener closes, so readiness
 * fails and the load balancer stops sending new requests while in-flight ones finish.
 */
@Injectable()
export class ShutdownState {
  private drainingSince: number | undefined;

  startDraining(): void {
    this.drainingSince ??= Date.now();
  }

  get draining(): boolean {
    return this.drainingSince !== undefined;
  }
}
