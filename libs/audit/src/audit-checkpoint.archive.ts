import { Injectable } from '@nestjs/common';
import { DefaultAzureCredential } from '@azure/identity';
import { ContainerClient } from '@azure/storage-blob';
import { AppConfig, SecretName, SecretsService } from '@hdp/platform';
import type { AuditCheckpoint } from './audit-checkpoint';

const DAY_MS = 24 * 3600 * 1000;

/**
 * The copy of every checkpoint outside the database (AUDIT_CHECKPOINT_CONTAINER): one blob per checkpoint
 * under `checkpoints/<day>/`, written once (If-None-Match: *). In production the container's time-based
 * immutability (WORM) policy keeps anyone, database administrators included, from changing or deleting one.
 */
@Injectable()
export class AuditCheckpointArchive {
  private container?: ContainerClient;

  constructor(
    private readonly config: AppConfig,
    private readonly secrets: SecretsService,
  ) {}

  get enabled(): boolean {
    return this.config.AUDIT_CHECKPOINT_CONTAINER !== '';
  }

  async store(checkpoint: AuditCheckpoint): Promise<void> {
    const body = JSON.stringify(checkpoint);
    await (
      await this.client()
    )
      .getBlockBlobClient(blobName(checkpoint))
      .upload(body, Buffer.byteLength(body), {
        conditions: { ifNoneMatch: '*' },
        blobHTTPHeaders: { blobContentType: 'application/json' },
      });
  }

  /** The latest archived checkpoint of today or yesterday (UTC), if any. */
  async latest(): Promise<AuditCheckpoint | undefined> {
    const container = await this.client();
    for (const day of [new Date(), new Date(Date.now() - DAY_MS)]) {
      let last: string | undefined;
      for await (const blob of container.listBlobsFlat({ prefix: `checkpoints/${dayOf(day)}/` }))
        if (!last || blob.name > last) last = blob.name;
      if (last) {
        const text = (await container.getBlobClient(last).downloadToBuffer()).toString('utf8');
        const parsed = JSON.parse(text) as AuditCheckpoint & { at: string };
        return { ...parsed, at: new Date(parsed.at) };
      }
    }
    return undefined;
  }

  private async client(): Promise<ContainerClient> {
    if (!this.container) {
      const connection = this.secrets.getOptional(SecretName.DocumentsStorageConnectionString);
      const name = this.config.AUDIT_CHECKPOINT_CONTAINER;
      const container = connection
        ? new ContainerClient(connection, name)
        : new ContainerClient(
            `${this.config.DOCUMENTS_STORAGE_ACCOUNT_URL.replace(/\/$/, '')}/${name}`,
            new DefaultAzureCredential(),
          );
      await container.createIfNotExists();
      this.container = container;
    }
    return this.container;
  }
}

const dayOf = (at: Date) => at.toISOString().slice(0, 10);

function blobName(checkpoint: AuditCheckpoint): string {
  return `checkpoints/${dayOf(checkpoint.at)}/${checkpoint.at.toISOString()}-${checkpoint.id}.json`;
}
