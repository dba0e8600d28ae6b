import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { AppConfig, EnvSecretSource, loadConfig, SecretName } from '@hdp/platform';
import { parseAllDocuments } from 'yaml';
import { telemetryConfig } from '../src/telemetry/telemetry-config';

const HELM = '.tools/bin/helm';
const CHART = 'charts/health-data-platform';
const PRODUCTION = `${CHART}/ci/production-values.yaml`;

/** The parts of the rendered objects these tests read. */
interface Manifest {
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: Spec;
}
interface Spec {
  type?: string;
  ingressClassName?: string;
  tls: { secretName: string }[];
  rules: { http: { paths: { backend: { service: { port: unknown } } }[] } }[];
  template: { metadata: { labels: Record<string, string> }; spec: PodSpec };
  selector: { matchLabels: Record<string, string> };
  podSelector: { matchLabels: Record<string, string> };
  policyTypes: string[];
  ingress: { from: unknown[]; ports: unknown[] }[];
  egress: { ports: { port: number | string }[]; to?: { ipBlock?: { cidr: string } }[] }[];
  triggers: { type: string; metadata: Record<string, string>; authenticationRef: { name: string } }[];
  podIdentity: { provider: string; identityId: string };
}
interface PodSpec {
  securityContext: { runAsUser: number };
  automountServiceAccountToken: boolean;
  serviceAccountName: string;
  terminationGracePeriodSeconds: number;
  topologySpreadConstraints: unknown[];
  containers: Container[];
  initContainers?: Container[];
  volumes: {
    name: string;
    secret?: { secretName: string; items?: unknown; defaultMode?: number };
    configMap?: { name: string };
  }[];
}
interface Container {
  env: { name: string; value?: string; valueFrom?: { secretKeyRef?: unknown } }[];
  volumeMounts: { name: string; mountPath: string; readOnly?: boolean; subPath?: string }[];
  securityContext: unknown;
  resources: { requests?: unknown; limits: { memory?: string } };
  startupProbe: { httpGet: { path: string } };
  livenessProbe: { httpGet: { path: string } };
  readinessProbe: { httpGet: { path: string } };
  lifecycle?: { preStop?: { sleep?: { seconds: number } } };
}

function helm(...args: string[]): string {
  if (!existsSync(HELM)) throw new Error(`helm is not installed at ${HELM}: run scripts/helm.sh install`);
  return execFileSync(HELM, args, { encoding: 'utf8', stdio: 'pipe' });
}

function render(...args: string[]): Manifest[] {
  return parseAllDocuments(helm('template', 'hdp', CHART, ...args))
    .map((doc) => doc.toJS() as Manifest | null)
    .filter((m): m is Manifest => m !== null);
}

function renderError(...args: string[]): string {
  try {
    helm('template', 'hdp', CHART, ...args);
  } catch (error) {
    return String((error as { stderr?: string }).stderr);
  }
  throw new Error('helm template succeeded but should have failed');
}

/** The same install with its secrets in a Kubernetes Secret instead of Key Vault. */
const PRODUCTION_FILES = [
  '-f',
  PRODUCTION,
  '--set',
  'keyVault.url=',
  '--set',
  'secrets.existingSecret=hdp-secrets',
];
/** Every optional setting filled in, so every optional variable is rendered. */
const EVERYTHING = [
  '-f',
  PRODUCTION,
  '--set-json',
  'security.corsOrigins=["https://portal.hdp.example","https://app.hdp.example:8443"]',
  '--set',
  'telemetry.otlp.protocol=http/protobuf',
];

/** Variables the app reads: AppConfig's properties and the ones the telemetry set-up reads (recorded by
 * handing it an environment that notes every look-up). */
function readsOf(read: (env: NodeJS.ProcessEnv) => unknown): string[] {
  const names = new Set<string>();
  const env = new Proxy<NodeJS.ProcessEnv>(
    {},
    {
      get: (_target, name) => {
        if (typeof name === 'string') names.add(name);
        return undefined;
      },
    },
  );
  read(env);
  return [...names];
}
const VARIABLES_THE_APP_READS = new Set([
  ...Object.keys(new AppConfig()),
  ...readsOf(telemetryConfig),
  'NODE_OPTIONS', // read by the Node runtime: the heap cap
]);
/** The environment variables that would carry each secret under SECRETS_SOURCE=env (MONGODB_URI, ...). */
const SECRET_VARIABLES = Object.values(SecretName).flatMap((name) =>
  readsOf((env) => void new EnvSecretSource(env).read(name)),
);

const one = (manifests: Manifest[], kind: string) => {
  const found = manifests.filter((m) => m.kind === kind);
  expect(found).toHaveLength(1);
  return found[0];
};
const envOf = (deployment: Manifest): Record<string, string> =>
  Object.fromEntries(
    deployment.spec.template.spec.containers[0].env.flatMap((e) =>
      e.value === undefined ? [] : [[e.name, e.value]],
    ),
  );

describe('Helm chart', () => {
  it('passes helm lint --strict with default and production values', () => {
    expect(helm('lint', '--strict', CHART)).toMatch(/0 chart\(s\) failed/);
    expect(helm('lint', '--strict', CHART, '-f', PRODUCTION)).toMatch(/0 chart\(s\) failed/);
  });

  describe.each([
    ['default values', [] as string[]],
    ['production values', ['-f', PRODUCTION]],
  ])('rendered with %s', (_name, args) => {
    const manifests = render(...args);

    it('runs every container non-root, read-only, without capabilities or privilege escalation', () => {
      const pod = one(manifests, 'Deployment').spec.template.spec;
      expect(pod.securityContext).toMatchObject({
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
      expect(pod.automountServiceAccountToken).toBe(false);
      for (const container of [...pod.containers, ...(pod.initContainers ?? [])]) {
        expect(container.securityContext).toMatchObject({
          runAsNonRoot: true,
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
        });
        expect(container.resources.requests).toBeDefined();
        expect(container.resources.limits.memory).toBeDefined();
      }
    });

    it('probes the health routes and gives the app longer than its request timeout to drain', () => {
      const deployment = one(manifests, 'Deployment');
      const container = deployment.spec.template.spec.containers[0];
      expect(container.startupProbe.httpGet.path).toBe('/health/live');
      expect(container.livenessProbe.httpGet.path).toBe('/health/live');
      expect(container.readinessProbe.httpGet.path).toBe('/health/ready');
      const preStop = container.lifecycle?.preStop?.sleep?.seconds ?? 0;
      const drainSeconds = Number(envOf(deployment).REQUEST_TIMEOUT_MS) / 1000 + preStop;
      expect(deployment.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(drainSeconds);
      expect(deployment.spec.template.spec.topologySpreadConstraints.length).toBeGreaterThan(0);
    });

    it('exposes the API only through an internal ingress with TLS, never the metrics port', () => {
      const ingress = one(manifests, 'Ingress');
      expect(ingress.spec.ingressClassName).toBe('nginx-internal');
      expect(ingress.metadata.annotations).toMatchObject({
        'appgw.ingress.kubernetes.io/use-private-ip': 'true',
      });
      expect(ingress.spec.tls[0].secretName).toBeTruthy();
      const backends = ingress.spec.rules.flatMap((r) => r.http.paths.map((p) => p.backend.service.port));
      expect(backends).toEqual([{ name: 'http' }]);
      expect(manifests.some((m) => m.kind === 'Service' && m.spec.type !== 'ClusterIP')).toBe(false);
    });

    it('denies traffic by default and allows in only the ingress controller and metrics scraper', () => {
      const policy = one(manifests, 'NetworkPolicy');
      const podLabels = one(manifests, 'Deployment').spec.template.metadata.labels;
      expect(podLabels).toMatchObject(policy.spec.podSelector.matchLabels);
      expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
      for (const rule of policy.spec.ingress) {
        expect(rule.from.length).toBeGreaterThan(0);
        expect(rule.ports.length).toBeGreaterThan(0);
      }
      const egressPorts = policy.spec.egress.flatMap((rule) => {
        expect(rule.ports.length).toBeGreaterThan(0); // no rule opens every port
        return rule.ports.map((p) => p.port);
      });
      expect(egressPorts).toEqual(expect.arrayContaining([53, 5671, 5672, 443]));
    });

    it('creates no Secret and puts no secret in the pod environment', () => {
      expect(manifests.filter((m) => m.kind === 'Secret')).toEqual([]);
      expect(manifests.filter((m) => 'data' in m || 'stringData' in m)).toEqual([]);
      const deployment = one(manifests, 'Deployment');
      const env = deployment.spec.template.spec.containers[0].env;
      expect(SECRET_VARIABLES).toEqual(expect.arrayContaining(['MONGODB_URI', 'SUBSCRIPTION_KEY_PEPPER']));
      expect(env.map((e) => e.name).filter((name) => SECRET_VARIABLES.includes(name))).toEqual([]);
      // Only the telemetry connection string comes from a Secret through the environment.
      const fromSecrets = env.filter((e) => e.valueFrom?.secretKeyRef).map((e) => e.name);
      expect(fromSecrets.filter((name) => name !== 'APPLICATIONINSIGHTS_CONNECTION_STRING')).toEqual([]);
      for (const value of Object.values(envOf(deployment))) {
        expect(value).not.toMatch(
          /:\/\/[^/@\s]+:[^/@\s]+@|:\/\/[^/@\s]*@|AccountKey=|InstrumentationKey=|SharedAccessKey=/i,
        );
      }
    });

    it('renders an environment the app accepts at start-up', () => {
      const env = envOf(one(manifests, 'Deployment'));
      expect(() => loadConfig(env)).not.toThrow();
      expect(() => telemetryConfig(env)).not.toThrow();
      expect(['files', 'keyvault']).toContain(loadConfig(env).SECRETS_SOURCE);
    });

    it('gives the pods a workload identity and its service account', () => {
      const pod = one(manifests, 'Deployment').spec.template;
      expect(pod.metadata.labels['azure.workload.identity/use']).toBe('true');
      expect(one(manifests, 'ServiceAccount').metadata.name).toBe(pod.spec.serviceAccountName);
      expect(one(manifests, 'PodDisruptionBudget').spec.selector.matchLabels).toEqual(
        one(manifests, 'Deployment').spec.selector.matchLabels,
      );
    });
  });

  it('sets no environment variable the app does not read', () => {
    expect([...VARIABLES_THE_APP_READS]).toEqual(
      expect.arrayContaining([
        'SECRETS_SOURCE',
        'KEY_VAULT_URL',
        'REDIS_URL',
        'METRICS_PORT',
        'OTEL_SERVICE_NAME',
      ]),
    );
    for (const args of [[], ['-f', PRODUCTION], PRODUCTION_FILES, EVERYTHING]) {
      const names = one(render(...args), 'Deployment').spec.template.spec.containers[0].env.map(
        (e) => e.name,
      );
      expect(names.filter((name) => !VARIABLES_THE_APP_READS.has(name))).toEqual([]);
      expect(new Set(names).size).toBe(names.length);
    }
  });

  it.each([
    ['the default limit', [], 576],
    ['the production limit', ['-f', PRODUCTION], 768],
    ['a limit in Mi', ['--set', 'resources.limits.memory=2000Mi'], 1500],
  ])('caps the V8 heap at three quarters of %s', (_story, args, heapMiB) => {
    expect(envOf(one(render(...args), 'Deployment')).NODE_OPTIONS).toBe(`--max-old-space-size=${heapMiB}`);
  });

  it('refuses a memory limit it cannot turn into a heap cap', () => {
    expect(renderError('--set', 'resources.limits.memory=1.5G')).toContain('resources.limits.memory');
  });

  it('with keyVault.url, has the app read its secrets from the vault: no secret variable, no secret volume', () => {
    const deployment = one(render('-f', PRODUCTION), 'Deployment');
    const pod = deployment.spec.template.spec;
    const env = envOf(deployment);
    expect(env).toMatchObject({
      SECRETS_SOURCE: 'keyvault',
      KEY_VAULT_URL: 'https://hdp-prod-kv.vault.azure.net/',
    });
    expect(env).not.toHaveProperty('SECRETS_DIR');
    const names = pod.containers[0].env.map((e) => e.name);
    expect(names.filter((name) => SECRET_VARIABLES.includes(name))).toEqual([]);
    expect(pod.volumes.filter((v) => v.secret)).toEqual([]);
    expect(pod.containers[0].volumeMounts.map((m) => m.name)).not.toContain('secrets');
  });

  it('with device ingest on, mounts the templates ConfigMap read-only where the template paths point', () => {
    const deployment = one(render('-f', PRODUCTION), 'Deployment');
    const pod = deployment.spec.template.spec;
    const env = envOf(deployment);
    const mount = pod.containers[0].volumeMounts.find((m) => m.name === 'templates');
    expect(mount).toMatchObject({ mountPath: '/etc/health-data-platform/templates', readOnly: true });
    expect(env.DEVICE_TEMPLATES_PATH).toBe('/etc/health-data-platform/templates/devicecontent.json');
    expect(env.FHIR_TEMPLATES_PATH).toBe('/etc/health-data-platform/templates/fhirmapping.json');
    expect(pod.volumes.find((v) => v.name === 'templates')?.configMap?.name).toBe(
      'health-data-platform-templates',
    );
  });

  it('without keyVault.url, mounts the named Secret read-only at SECRETS_DIR, whole (so rotation reaches the pod)', () => {
    for (const [args, secretName] of [
      [[], 'health-data-platform-secrets'],
      [PRODUCTION_FILES, 'hdp-secrets'],
    ] as const) {
      const manifests = render(...args);
      const deployment = one(manifests, 'Deployment');
      const pod = deployment.spec.template.spec;
      const env = envOf(deployment);
      expect(env.SECRETS_SOURCE).toBe('files');
      expect(env).not.toHaveProperty('KEY_VAULT_URL');
      const volume = pod.volumes.find((v) => v.secret);
      // Every key of the Secret (the fixed secret names) becomes a file; items would hide the optional ones.
      expect(volume?.secret).toEqual({ secretName, defaultMode: 0o440 });
      const mounts = pod.containers[0].volumeMounts.filter((m) => m.name === volume?.name);
      expect(mounts).toEqual([{ name: volume?.name, mountPath: env.SECRETS_DIR, readOnly: true }]);
      expect(env.SECRETS_DIR).toBe('/var/run/secrets/health-data-platform');
      expect(manifests.filter((m) => m.kind === 'Secret')).toEqual([]);
    }
  });

  it('sets the rate limit, admin networks, trusted proxies and CORS origins from values, omitting empty ones', () => {
    const defaults = envOf(one(render(), 'Deployment'));
    expect(defaults).toMatchObject({ RATE_LIMIT_CALLS: '100', RATE_LIMIT_PERIOD_S: '60' });
    for (const name of ['REDIS_URL', 'ADMIN_ALLOWED_CIDRS', 'TRUSTED_PROXIES', 'CORS_ORIGINS']) {
      expect(defaults).not.toHaveProperty(name);
    }
    expect(envOf(one(render(...EVERYTHING), 'Deployment'))).toMatchObject({
      REDIS_URL: 'rediss://hdp-prod-redis.redis.cache.windows.net:6380',
      ADMIN_ALLOWED_CIDRS: '10.30.0.0/24',
      TRUSTED_PROXIES: '10.244.0.0/16',
      CORS_ORIGINS: 'https://portal.hdp.example,https://app.hdp.example:8443',
    });
  });

  it('points the documents at their storage account and download mode from values', () => {
    const defaults = envOf(one(render(), 'Deployment'));
    expect(defaults).not.toHaveProperty('DOCUMENTS_STORAGE_ACCOUNT_URL');
    expect(defaults).toMatchObject({
      DOCUMENTS_CONTAINER: 'patient-documents',
      DOCUMENTS_DOWNLOAD: 'stream',
      DOCUMENTS_MAX_BYTES: '104857600',
    });
    expect(envOf(one(render('-f', PRODUCTION), 'Deployment'))).toMatchObject({
      DOCUMENTS_STORAGE_ACCOUNT_URL: 'https://hdpproddocs.blob.core.windows.net',
      DOCUMENTS_DOWNLOAD: 'sas',
      DOCUMENTS_SAS_TTL_S: '300',
    });
    expect(renderError('--set', 'documents.download=public')).toMatch(/documents\/download/);
  });

  it('opens egress to Redis (6379, 6380) towards redis.cidrs only when a Redis is configured', () => {
    const redisRules = (manifests: Manifest[]) =>
      one(manifests, 'NetworkPolicy').spec.egress.filter((rule) =>
        rule.ports.some((p) => p.port === 6379 || p.port === 6380),
      );
    expect(redisRules(render())).toEqual([]);
    const [rule, ...others] = redisRules(render('-f', PRODUCTION));
    expect(others).toEqual([]);
    expect(rule.ports.map((p) => p.port)).toEqual([6379, 6380]);
    expect(rule.to).toEqual([{ ipBlock: { cidr: '10.20.10.0/24' } }]);
  });

  it('scales on the lag of the consumer group and checkpoint container the app uses, through workload identity', () => {
    const manifests = render('-f', PRODUCTION);
    const env = envOf(one(manifests, 'Deployment'));
    const scaled = one(manifests, 'ScaledObject');
    const lag = scaled.spec.triggers.find((t) => t.type === 'azure-eventhub')!;
    expect(lag.metadata).toMatchObject({
      eventHubNamespace: env.EVENTHUB_NAMESPACE.split('.')[0],
      eventHubName: env.EVENTHUB_NAME,
      consumerGroup: env.EVENTHUB_CONSUMER_GROUP,
      storageAccountName: new URL(env.CHECKPOINT_STORAGE_ACCOUNT_URL).hostname.split('.')[0],
      blobContainer: env.CHECKPOINT_CONTAINER,
      checkpointStrategy: 'blobMetadata',
    });
    expect(env.DEVICE_INGEST_ENABLED).toBe('true');
    const auth = one(manifests, 'TriggerAuthentication');
    expect(lag.authenticationRef.name).toBe(auth.metadata.name);
    expect(auth.spec.podIdentity).toEqual({
      provider: 'azure-workload',
      identityId: expect.stringMatching(/^[\da-f-]{36}$/),
    });
    expect(one(manifests, 'ServiceAccount').metadata.annotations).toEqual({
      'azure.workload.identity/client-id': auth.spec.podIdentity.identityId,
    });
    expect(scaled.spec).toMatchObject({ minReplicaCount: 3, maxReplicaCount: 20, cooldownPeriod: 300 });
    expect(scaled.spec.triggers.map((t) => t.type)).toContain('cpu');
    expect(manifests.some((m) => m.kind === 'HorizontalPodAutoscaler')).toBe(false);
  });

  it('falls back to a plain HPA on CPU when KEDA is off', () => {
    const manifests = render('--set', 'autoscaling.keda.enabled=false');
    expect(manifests.some((m) => m.kind === 'ScaledObject')).toBe(false);
    expect(one(manifests, 'HorizontalPodAutoscaler').spec).toMatchObject({ minReplicas: 2, maxReplicas: 10 });
  });

  it('exposes publicly only when the values say so, with a class named explicitly', () => {
    expect(renderError('--set', 'ingress.exposure=public')).toMatch(/publicClassName/);
    const ingress = one(
      render('--set', 'ingress.exposure=public', '--set', 'ingress.publicClassName=nginx'),
      'Ingress',
    );
    expect(ingress.spec.ingressClassName).toBe('nginx');
    expect(ingress.metadata.annotations ?? {}).not.toHaveProperty(
      'appgw.ingress.kubernetes.io/use-private-ip',
    );
  });

  it('rejects a value of the wrong type, an unknown key and a grace period shorter than the drain', () => {
    expect(renderError('--set', 'app.port=http')).toMatch(/\/app\/port.*want integer/);
    expect(renderError('--set', 'ingress.tlsSecret=x')).toMatch(
      /additional properties 'tlsSecret' not allowed/,
    );
    expect(renderError('--set', 'terminationGracePeriodSeconds=34')).toMatch(/terminationGracePeriodSeconds/);
    expect(renderError('--set', 'rateLimit.calls=many')).toMatch(/\/rateLimit\/calls.*want integer/);
    expect(renderError('--set', 'security.trustedProxies=10.0.0.0/8')).toMatch(
      /\/security\/trustedProxies.*want array/,
    );
  });

  it('rejects the retired secret values and a Redis URL carrying credentials', () => {
    expect(renderError('--set', 'database.uriSecret.name=x')).toMatch(
      /additional properties 'uriSecret' not allowed/,
    );
    expect(renderError('--set', 'keyVault.secretNames.auditSigningKey=x')).toMatch(
      /additional properties 'secretNames' not allowed/,
    );
    expect(renderError('--set', 'redis.url=rediss://:hunter2@hdp.redis.cache.windows.net:6380')).toMatch(
      /\/redis\/url/,
    );
  });
});
