import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AppConfig } from '../config/app-config';

/** The one connection to the MongoDB-compatible store, from MONGODB_URI. */
@Module({
  imports: [
    MongooseModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        uri: config.MONGODB_URI,
        serverSelectionTimeoutMS: 5000,
        // Retryable writes need sessions on a replica set; the dev engine and Cosmos RU do not offer them.
        retryWrites: false,
      }),
    }),
  ],
})
export class DatabaseModule {}
