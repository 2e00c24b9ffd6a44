package io.alfer.core.storage;

import io.alfer.proto.v1.ObjectRef;
import io.minio.BucketExistsArgs;
import io.minio.Checksum;
import io.minio.GetObjectArgs;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.Http;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Item;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * alfer's view of its one S3 bucket: put, get, stat, list, pre-sign. Thread-safe; one instance per
 * process is enough.
 */
public final class ObjectStore {
  private final MinioClient client;
  private final S3Settings settings;

  public ObjectStore(S3Settings settings) {
    this.settings = settings;
    this.client =
        MinioClient.builder()
            .endpoint(settings.endpoint())
            .region(settings.region())
            .credentials(settings.accessKey(), settings.secretKey())
            .build();
  }

  public S3Settings settings() {
    return settings;
  }

  public String bucket() {
    return settings.bucket();
  }

  /** Creates the bucket if it does not exist; returns true when it was created. */
  public boolean ensureBucket() {
    try {
      if (client.bucketExists(BucketExistsArgs.builder().bucket(bucket()).build())) {
        return false;
      }
      client.makeBucket(MakeBucketArgs.builder().bucket(bucket()).build());
      return true;
    } catch (Exception e) {
      throw new StorageException("cannot create bucket " + bucket() + ": " + e.getMessage(), e);
    }
  }

  /** Whether the store answers and the bucket exists (readiness). */
  public boolean bucketReachable() {
    try {
      return client.bucketExists(BucketExistsArgs.builder().bucket(bucket()).build());
    } catch (Exception e) {
      return false;
    }
  }

  /** Stores bytes under a key and returns a reference to them. */
  public ObjectRef put(String key, byte[] bytes, String contentType) {
    return put(key, bytes, contentType, Hashes.sha256Hex(bytes));
  }

  /**
   * As {@link #put(String, byte[], String)} for bytes whose SHA-256 the caller has computed already
   * (e.g. to name them): {@code sha256Hex} goes into the reference as it is.
   */
  public ObjectRef put(String key, byte[] bytes, String contentType, String sha256Hex) {
    try {
      client.putObject(
          PutObjectArgs.builder()
              .bucket(bucket())
              .object(key)
              .data(bytes, bytes.length)
              .contentType(contentType)
              // The client's default checksum, CRC32C, is its own byte-at-a-time code (most of the
              // cost of storing a 1.2 MB pixel segment); CRC32 is the JDK's, and as good a check.
              .checksum(Checksum.Algorithm.CRC32)
              .build());
      return ObjectRef.newBuilder()
          .setBucket(bucket())
          .setKey(key)
          .setSizeBytes(bytes.length)
          .setSha256(sha256Hex)
          .build();
    } catch (Exception e) {
      throw new StorageException("cannot store " + key + ": " + e.getMessage(), e);
    }
  }

  /** Reads a whole object. */
  public byte[] get(String key) {
    try (InputStream in =
        client.getObject(GetObjectArgs.builder().bucket(bucket()).object(key).build())) {
      return in.readAllBytes();
    } catch (Exception e) {
      throw new StorageException("cannot read " + key + ": " + e.getMessage(), e);
    }
  }

  /** Reads an object, or empty when there is none under that key. */
  public Optional<byte[]> find(String key) {
    if (!exists(key)) {
      return Optional.empty();
    }
    return Optional.of(get(key));
  }

  /** Whether an object exists under the key. */
  public boolean exists(String key) {
    try {
      client.statObject(StatObjectArgs.builder().bucket(bucket()).object(key).build());
      return true;
    } catch (ErrorResponseException e) {
      String code = e.errorResponse() == null ? "" : e.errorResponse().code();
      if ("NoSuchKey".equals(code) || "NoSuchObject".equals(code) || "NotFound".equals(code)) {
        return false;
      }
      throw new StorageException("cannot stat " + key + ": " + e.getMessage(), e);
    } catch (Exception e) {
      throw new StorageException("cannot stat " + key + ": " + e.getMessage(), e);
    }
  }

  /** Deletes an object (no error when absent). */
  public void delete(String key) {
    try {
      client.removeObject(RemoveObjectArgs.builder().bucket(bucket()).object(key).build());
    } catch (Exception e) {
      throw new StorageException("cannot delete " + key + ": " + e.getMessage(), e);
    }
  }

  /** Calls {@code sink} with every key under a prefix, recursively, in key order. */
  public void listKeys(String prefix, Consumer<String> sink) {
    try {
      for (Result<Item> r :
          client.listObjects(
              ListObjectsArgs.builder().bucket(bucket()).prefix(prefix).recursive(true).build())) {
        sink.accept(r.get().objectName());
      }
    } catch (Exception e) {
      throw new StorageException("cannot list " + prefix + ": " + e.getMessage(), e);
    }
  }

  /** Every key under a prefix. */
  public List<String> listKeys(String prefix) {
    List<String> keys = new ArrayList<>();
    listKeys(prefix, keys::add);
    return keys;
  }

  /** A pre-signed GET URL for a key, valid for {@code ttl}. */
  public String presignGet(String key, Duration ttl) {
    try {
      return client.getPresignedObjectUrl(
          GetPresignedObjectUrlArgs.builder()
              .method(Http.Method.GET)
              .bucket(bucket())
              .object(key)
              .expiry((int) ttl.toSeconds())
              .build());
    } catch (Exception e) {
      throw new StorageException("cannot pre-sign " + key + ": " + e.getMessage(), e);
    }
  }
}
