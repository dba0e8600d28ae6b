import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { Connection } from 'mongoose';

/**
 * Asks the database itself. Terminus's mongoose check only reads the connection's state, which stays
 * "connected" for seconds after the server has gone.
 */
@Injectable()
export class DatabaseHealthIndicator {
  constructor(
    @InjectConnection() private readonly connection: Connection,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async ping(key: string, timeoutMs: number) {
    const indicator = this.indicators.check(key);
    const db = this.connection.db;
    if (!db) return indicator.down({ message: 'not connected' });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timed out')), timeoutMs);
    });
    try {
      await Promise.race([db.command({ ping: 1 }, { timeoutMS: timeoutMs }), timeout]);
      return indicator.up();
    } catch (error) {
      return indicator.down({
        message: error instanceof Error && error.message === 'timed out' ? 'timed out' : 'unreachable',
      });
    } finally {
      clearTimeout(timer);
    }
  }
}
