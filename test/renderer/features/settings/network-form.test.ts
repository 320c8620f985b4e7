import { describe, expect, it } from 'vitest';
import { networkSchema } from '@shared/model/network';
import { errorsOf, formOf, inputOf, validate } from '@renderer/features/settings/network-form';

describe('network settings: the form', () => {
  it('turns the form into the section and back; blank fields are left out, the no-proxy text is a list', () => {
    const form = { ...formOf(networkSchema.parse({})), proxy: ' http://p:1 ', noProxy: 'localhost, .corp  a.b' };
    expect(inputOf(form)).toEqual({ verifyTls: true, proxy: 'http://p:1', noProxy: ['localhost', '.corp', 'a.b'] });
    expect(formOf(networkSchema.parse(inputOf(form))).noProxy).toBe('localhost, .corp, a.b');
  });

  it('puts each problem on its field, from the schema or from the service', () => {
    const form = { ...formOf(networkSchema.parse({})), proxy: 'nope nope', clientCert: 'c.pem' };
    const errors = validate(form);
    expect(errors.proxy).toContain("'nope nope' is not a proxy URL");
    expect(errors.clientKey).toContain('go together');
    expect(errorsOf([{ path: 'network.ca', message: 'unreadable' }])).toEqual({ ca: 'unreadable' });
  });
});
