/** Which URL a model URI is downloaded from: cloud storage URIs as their public (or S3-compatible) https URLs. */
import { describe, expect, it } from 'vitest';
import { downloadUrl, isModelUrl, pvcModel, unsupportedModelScheme } from '../../../compiler/validate/model-download.ts';

describe('downloadUrl', () => {
  it('keeps http(s) URLs, and maps gs:// and s3:// to their public https URLs', () => {
    expect(downloadUrl('https://models.example.com/a/model.onnx', {})).toBe('https://models.example.com/a/model.onnx');
    expect(downloadUrl('gs://kfserving-examples/models/onnx/model.onnx', {})).toBe('https://storage.googleapis.com/kfserving-examples/models/onnx/model.onnx');
    expect(downloadUrl('s3://my-bucket/iris/v 2/model.onnx', {})).toBe('https://my-bucket.s3.amazonaws.com/iris/v%202/model.onnx');
  });

  it('sends s3:// to an S3-compatible endpoint, path-style, when one is set', () => {
    expect(downloadUrl('s3://models/iris.onnx', { S3_ENDPOINT: 'minio.minio:9000' })).toBe('https://minio.minio:9000/models/iris.onnx');
    expect(downloadUrl('s3://models/iris.onnx', { AWS_ENDPOINT_URL: 'http://127.0.0.1:9000/', S3_ENDPOINT: 'ignored' })).toBe('http://127.0.0.1:9000/models/iris.onnx');
    expect(downloadUrl('s3://models/iris.onnx', { AWS_ENDPOINT_URL_S3: 'http://s3.local', AWS_ENDPOINT_URL: 'http://other' })).toBe('http://s3.local/models/iris.onnx');
  });

  it('tells URLs from files, and names a scheme it cannot download', () => {
    expect(['https://x/m.onnx', 'HTTP://x/m.onnx', 's3://b/m.onnx', 'gs://b/m.onnx'].every(isModelUrl)).toBe(true);
    expect(isModelUrl('./models/m.onnx')).toBe(false);
    expect(unsupportedModelScheme('hdfs://nn/m.onnx')).toBe('hdfs');
    // A claim is read in the pod, not downloaded (pvcModel).
    expect(unsupportedModelScheme('pvc://claim/m.onnx')).toBeUndefined();
    expect(pvcModel('pvc://claim/dir/m.onnx')).toEqual({ claim: 'claim', path: 'dir/m.onnx' });
    expect(pvcModel('pvc://claim')).toEqual({ claim: 'claim', path: '' });
    expect(pvcModel('s3://b/m.onnx')).toBeUndefined();
    expect(unsupportedModelScheme('gs://b/m.onnx')).toBeUndefined();
    expect(unsupportedModelScheme('models/m.onnx')).toBeUndefined();
  });
});
