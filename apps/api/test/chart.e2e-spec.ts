import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

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
  egress: { ports: { port: number | string }[] }[];
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
}
interface Container {
  env: { name: string; value?: string; valueFrom?: { secretKeyRef?: unknown } }[];
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

    it('creates no Secret and puts no literal secret value in the pod environment', () => {
      expect(manifests.filter((m) => m.kind === 'Secret')).toEqual([]);
      const deployment = one(manifests, 'Deployment');
      const env = deployment.spec.template.spec.containers[0].env;
      expect(env.find((e) => e.name === 'MONGODB_URI')).toEqual({
        name: 'MONGODB_URI',
        valueFrom: { secretKeyRef: { name: expect.any(String), key: expect.any(String) } },
      });
      const insights = env.find((e) => e.name === 'APPLICATIONINSIGHTS_CONNECTION_STRING');
      if (insights) expect(insights.valueFrom?.secretKeyRef).toBeDefined();
      for (const value of Object.values(envOf(deployment))) {
        expect(value).not.toMatch(
          /:\/\/[^/@\s]+:[^/@\s]+@|AccountKey=|InstrumentationKey=|SharedAccessKey=/i,
        );
      }
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
  });
});
