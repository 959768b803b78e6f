import {
  canonicalizedQuery,
  percentEncode,
  rpcParams,
  signRpcRequest,
  stringToSign,
} from './vod-signer';

/**
 * Known answers published by Alibaba: its signature documentation and its official SDKs' tests.
 * Each case names where the expected value comes from.
 */
describe('Alibaba RPC signature V1', () => {
  it('reproduces the ECS documentation example (StringToSign and signature)', () => {
    // AlibabaCloudDocs/ecs, "Request signatures": secret "testsecret".
    const params = {
      AccessKeyId: 'testid',
      Action: 'DescribeRegions',
      Format: 'XML',
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf',
      SignatureVersion: '1.0',
      Timestamp: '2016-02-23T12:46:24Z',
      Version: '2014-05-26',
    };

    expect(stringToSign('GET', params)).toBe(
      'GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26',
    );
    expect(signRpcRequest('GET', params, 'testsecret')).toBe('OLeaidS1JvxuMvnyHOwuJ+uX5qY=');
  });

  it('reproduces the CDN documentation example', () => {
    // AlibabaCloudDocs/cdn, "调用方式": DescribeCdnService, secret "testsecret".
    const params = {
      SignatureVersion: '1.0',
      Format: 'JSON',
      Timestamp: '2015-08-06T02:19:46Z',
      AccessKeyId: 'testid',
      SignatureMethod: 'HMAC-SHA1',
      Version: '2014-11-11',
      Action: 'DescribeCdnService',
      SignatureNonce: '9b7a44b0-3be1-11e5-8c73-08002700c460',
    };

    expect(signRpcRequest('GET', params, 'testsecret')).toBe('KkkQOf0ymKf4yVZLggy6kYiwgFs=');
  });

  describe('the Go SDK test (sdk/auth/rpc_signature_composer_test.go)', () => {
    // Empty values are signed as "Key="; the space in "mock date" must become %20.
    const params = {
      AccessKeyId: 'accessKeyId',
      Action: '',
      Format: 'JSON',
      RegionId: 'regionId',
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: 'MOCK_UUID',
      SignatureType: '',
      SignatureVersion: '1.0',
      Timestamp: 'mock date',
      Version: '',
    };

    it('signs a space as %20 and keeps empty values', () => {
      expect(stringToSign('GET', params)).toBe(
        'GET&%2F&AccessKeyId%3DaccessKeyId%26Action%3D%26Format%3DJSON%26RegionId%3DregionId%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3DMOCK_UUID%26SignatureType%3D%26SignatureVersion%3D1.0%26Timestamp%3Dmock%2520date%26Version%3D',
      );
      expect(signRpcRequest('GET', params, 'accessKeySecret')).toBe('7loPmFjvDnzOVnQeQNj85S6nFGY=');
    });

    it('signs the STS SecurityToken with the other parameters', () => {
      const withToken = { ...params, SecurityToken: 'accessKeyStsToken' };

      expect(signRpcRequest('GET', withToken, 'accessKeySecret')).toBe(
        '5Nxdcler+ihqWqv0Hr2On4PsBf4=',
      );
    });
  });

  it('reproduces the SMS example with non-ASCII text, quotes, braces and a colon', () => {
    // Alibaba's SMS "HTTP协议及签名" example, secret "testSecret".
    const params = {
      AccessKeyId: 'testId',
      Action: 'SendSms',
      Format: 'XML',
      OutId: '123',
      PhoneNumbers: '15300000001',
      RegionId: 'cn-hangzhou',
      SignName: '阿里云短信测试专用',
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: '45e25e9b-0a6f-4070-8c85-2956eda1b466',
      SignatureVersion: '1.0',
      TemplateCode: 'SMS_71390007',
      TemplateParam: '{"customer":"test"}',
      Timestamp: '2017-07-12T02:42:19Z',
      Version: '2017-05-25',
    };

    expect(signRpcRequest('GET', params, 'testSecret')).toBe('zJDF+Lrzhj/ThnlvIToysFRq6t4=');
  });

  it("reproduces darabonba openapi-util's getRPCSignature test", () => {
    expect(signRpcRequest('GET', { query: 'test', body: 'test' }, 'secret')).toBe(
      'XlUyV4sXjOuX5FnjUz9IF9tm5rU=',
    );
  });

  it("encodes as the Java SDK's AcsURLEncoderTest expects", () => {
    expect(percentEncode('123abc!@#$%^&*()-=_+ ~|\\/')).toBe(
      '123abc%21%40%23%24%25%5E%26%2A%28%29-%3D_%2B%20~%7C%5C%2F',
    );
  });

  it("builds the Go SDK's StringToSign for a URL-valued parameter", () => {
    expect(stringToSign('GET', { key: 'value', q: 'http://domain/?q=value&q2=value2' })).toBe(
      'GET&%2F&key%3Dvalue%26q%3Dhttp%253A%252F%252Fdomain%252F%253Fq%253Dvalue%2526q2%253Dvalue2',
    );
  });

  it('sorts parameters by name', () => {
    expect(canonicalizedQuery({ b: '2', a: '1', B: '3' })).toBe('B=3&a=1&b=2');
  });

  it('adds the common parameters, the STS token, and a second-precision UTC timestamp', () => {
    const params = rpcParams(
      { Action: 'RefreshUploadVideo', VideoId: 'v' },
      '2017-03-21',
      { accessKeyId: 'id', accessKeySecret: 'never-in-params', securityToken: 'sts' },
      new Date('2026-11-21T10:00:00.123Z'),
      'nonce-1',
    );

    expect(params).toEqual({
      Action: 'RefreshUploadVideo',
      VideoId: 'v',
      Format: 'JSON',
      Version: '2017-03-21',
      AccessKeyId: 'id',
      SignatureMethod: 'HMAC-SHA1',
      SignatureVersion: '1.0',
      SignatureNonce: 'nonce-1',
      Timestamp: '2026-11-21T10:00:00Z',
      SecurityToken: 'sts',
    });
  });
});
