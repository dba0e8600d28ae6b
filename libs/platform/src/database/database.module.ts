import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { SecretName, SecretsService } from '../secrets/secrets.service';
import { singleBatchPages } from './single-batch-pages';

/** The one connection to the MongoDB-compatible store, from the `database-uri` secret (MONGODB_URI locally). */
@Module({
  imports: [
    MongooseModule.forRootAsync({
      inject: [SecretsService],
      useFactory: (secrets: SecretsService) => ({
        uri: secrets.get(SecretName.DatabaseUri),
        serverSelectionTimeoutMS: 5000,
        // Retryable writes need sessions on a replica set; the dev engine and Cosmos RU do not offer them.
        retryWrites: false,
        connectionFactory: (connection: Connection) => connection.plugin(singleBatchPages),
      }),
    }),
  ],
})
export class DatabaseModule {}
