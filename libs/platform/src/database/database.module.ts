import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { AppConfig } from '../config/app-config';
import { SecretName, SecretsService } from '../secrets/secrets.service';
import { singleBatchPages } from './single-batch-pages';

/** The one connection to the MongoDB-compatible store, from the `database-uri` secret (MONGODB_URI locally). */
@Module({
  imports: [
    MongooseModule.forRootAsync({
      inject: [SecretsService, AppConfig],
      useFactory: (secrets: SecretsService, config: AppConfig) => ({
        uri: secrets.get(SecretName.DatabaseUri),
        // Every store call is bounded on the client: an answer that does not come within STORE_TIMEOUT_MS
        // (a store that hangs with its connections open), a connection that cannot be made, a free one not
        // found in the pool, or (after a timeout marks the server unknown) no server found again fails the
        // call, which the HTTP faces answer 503 with Retry-After.
        serverSelectionTimeoutMS: Math.min(5000, config.STORE_TIMEOUT_MS),
        socketTimeoutMS: config.STORE_TIMEOUT_MS,
        connectTimeoutMS: config.STORE_TIMEOUT_MS,
        waitQueueTimeoutMS: config.STORE_TIMEOUT_MS,
        // Retryable writes need sessions on a replica set; the dev engine and Cosmos RU do not offer them.
        retryWrites: false,
        connectionFactory: (connection: Connection) => connection.plugin(singleBatchPages),
      }),
    }),
  ],
})
export class DatabaseModule {}
