import { describe, expect, it } from 'vitest';
import { hookProviders } from '../../../infra/topology.js';
import { adAdapters } from '../../../shared/sources/ads.js';
import { callAdapters } from '../../../shared/sources/calls.js';
import { providerCatalog } from '../../../shared/sources/catalog.js';
import { formAdapters } from '../../../shared/sources/forms.js';
import { generateMissingSecrets, readSourceInput } from '../../../shared/sources/source-config.js';

const families = { 'intake-forms': formAdapters, 'intake-ads': adAdapters, 'intake-calls': callAdapters } as const;

describe('the provider catalog', () => {
  it.each(Object.entries(families))('lists exactly the providers %s registers, with the routes the topology gives it', (fn, adapters) => {
    const providers = adapters.map((a) => a.provider).sort();
    expect(providers).toEqual([...hookProviders[fn as keyof typeof hookProviders]].sort());
    for (const adapter of adapters) {
      const entry = providerCatalog[adapter.provider as keyof typeof providerCatalog];
      expect(entry, adapter.provider).toBeDefined();
      expect({ family: adapter.family, channel: adapter.channel, secrets: adapter.secrets }).toEqual(entry);
    }
  });

  it('names no provider that no intake function serves', () => {
    const served = Object.values(hookProviders).flat().sort();
    expect(Object.keys(providerCatalog).sort()).toEqual(served);
  });

  it('puts each provider in the family of the function that serves it', () => {
    const familyOf = { 'intake-forms': 'forms', 'intake-ads': 'ads', 'intake-calls': 'calls' } as const;
    for (const [fn, providers] of Object.entries(hookProviders)) {
      for (const provider of providers) expect(providerCatalog[provider].family, provider).toBe(familyOf[fn as keyof typeof familyOf]);
    }
  });

  it.each(Object.keys(providerCatalog))('generates only secrets %s uses, so a source made without them verifies its webhooks', (provider) => {
    const names = providerCatalog[provider as keyof typeof providerCatalog].secrets.map((s) => s.name);
    const generated = Object.keys(generateMissingSecrets(provider, {}));
    for (const name of generated) expect(names, provider).toContain(name);
    const given = Object.fromEntries(
      providerCatalog[provider as keyof typeof providerCatalog].secrets.filter((s) => s.required && !generated.includes(s.name)).map((s) => [s.name, 'given']),
    );
    expect(() => readSourceInput({ name: 'x', provider, secrets: given }, 'create')).not.toThrow();
  });
});
