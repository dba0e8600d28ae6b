import { DefaultAzureCredential } from '@azure/identity';
import {
  BlobDownloadResponseParsed,
  BlobSASPermissions,
  BlobServiceClient,
  ContainerClient,
  StorageSharedKeyCredential,
  UserDelegationKey,
} from '@azure/storage-blob';
import { Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { AppConfig, SecretName, SecretsService } from '@hdp/platform';
import { DocumentStorageUnavailableError } from './documents.errors';

/**
 * An upload holds at most (concurrency + 1) blocks in memory: 6 MB, so 16 concurrent 50 MB uploads add about
 * 90 MB to the process (bench:documents); larger blocks bought no measurable throughput against Azurite.
 */
const UPLOAD_BLOCK_BYTES = 2 * 1024 * 1024;
const UPLOAD_CONCURRENCY = 2;
/** Tolerated clock difference between this pod and the storage service, for a SAS's start time. */
const CLOCK_SKEW_MS = 5 * 60 * 1000;
const DELEGATION_KEY_LIFETIME_MS = 60 * 60 * 1000;

/**
 * Documents' content in Azure Blob Storage: a connection string from the secrets provider (Azurite, local),
 * or the account URL with the pod's workload identity. Uploads stream in blocks that are committed only when
 * the whole content has arrived, so a failed or abandoned upload leaves no blob.
 */
@Injectable()
export class DocumentStorage {
  private container?: Promise<ContainerClient>;
  private delegation?: UserDelegationKey;

  constructor(
    private readonly config: AppConfig,
    private readonly secrets: SecretsService,
  ) {}

  /** The content type lives in the record (it is known only once the content has been inspected). */
  async upload(blobName: string, content: Readable): Promise<void> {
    const blob = (await this.client()).getBlockBlobClient(blobName);
    await blob.uploadStream(content, UPLOAD_BLOCK_BYTES, UPLOAD_CONCURRENCY);
  }

  /** Streams `count` bytes from `offset` (the whole blob without them). */
  async download(blobName: string, offset?: number, count?: number): Promise<BlobDownloadResponseParsed> {
    return (await this.client()).getBlobClient(blobName).download(offset, count);
  }

  /**
   * A read-only SAS URL for one blob, valid for `ttlSeconds`, that makes the browser save it as `fileName`:
   * signed with the account key when the connection has one, else with a user delegation key obtained with
   * the workload identity (cached for an hour), so no account key is needed in production.
   */
  async readUrl(blobName: string, ttlSeconds: number, fileName: string): Promise<string> {
    const blob = (await this.client()).getBlobClient(blobName);
    const now = Date.now();
    const options = {
      permissions: BlobSASPermissions.parse('r'),
      startsOn: new Date(now - CLOCK_SKEW_MS),
      expiresOn: new Date(now + ttlSeconds * 1000),
      contentDisposition: `attachment; filename="${fileName}"`,
    };
    if (blob.credential instanceof StorageSharedKeyCredential) return blob.generateSasUrl(options);
    return blob.generateUserDelegationSasUrl(options, await this.delegationKey(options.expiresOn));
  }

  async delete(blobName: string): Promise<void> {
    await (await this.client()).getBlobClient(blobName).deleteIfExists();
  }

  private async delegationKey(validUntil: Date): Promise<UserDelegationKey> {
    if (!this.delegation || this.delegation.signedExpiresOn <= validUntil) {
      const service = new BlobServiceClient(
        this.config.DOCUMENTS_STORAGE_ACCOUNT_URL,
        new DefaultAzureCredential(),
      );
      const startsOn = new Date(Date.now() - CLOCK_SKEW_MS);
      const expiresOn = new Date(validUntil.getTime() + DELEGATION_KEY_LIFETIME_MS);
      this.delegation = await service.getUserDelegationKey(startsOn, expiresOn);
    }
    return this.delegation;
  }

  /** Connected once; a failed connection is forgotten so the next call tries again. */
  private client(): Promise<ContainerClient> {
    if (!this.container) {
      const connecting = this.connect();
      connecting.catch(() => (this.container = undefined));
      this.container = connecting;
    }
    return this.container;
  }

  private async connect(): Promise<ContainerClient> {
    const connection = this.secrets.getOptional(SecretName.DocumentsStorageConnectionString);
    const url = this.config.DOCUMENTS_STORAGE_ACCOUNT_URL;
    if (!connection && !url) throw new DocumentStorageUnavailableError();
    const container = connection
      ? new ContainerClient(connection, this.config.DOCUMENTS_CONTAINER)
      : new ContainerClient(
          `${url.replace(/\/$/, '')}/${this.config.DOCUMENTS_CONTAINER}`,
          new DefaultAzureCredential(),
        );
    await container.createIfNotExists();
    return container;
  }
}
