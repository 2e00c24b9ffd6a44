package io.alfer.trainer.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alfer.core.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Job records and epoch checkpoints in object storage: {@code jobs/<id>/job.json} (the {@link
 * JobRecord}) and {@code jobs/<id>/resume.bin} (the training's resume state after its last
 * completed epoch). See {@code adr/0001-job-state.md}.
 */
@ApplicationScoped
public class JobStore {
  /** Prefix of every job's objects. */
  public static final String PREFIX = "jobs/";

  private static final String RECORD = "job.json";
  private static final String RESUME = "resume.bin";

  private final ObjectStore store;
  private final ObjectMapper json;

  public JobStore(ObjectStore store, ObjectMapper json) {
    this.store = store;
    this.json = json;
  }

  /** Whether object storage answers (and the bucket exists). */
  public boolean reachable() {
    return store.bucketReachable();
  }

  /** Writes a job's record, replacing the previous one. */
  public void save(JobRecord record) {
    try {
      store.put(key(record.jobId(), RECORD), json.writeValueAsBytes(record), "application/json");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the record of job " + record.jobId(), e);
    }
  }

  /** The record of a job, if it was ever accepted. */
  public Optional<JobRecord> find(String jobId) {
    return store.find(key(jobId, RECORD)).map(bytes -> read(jobId, bytes));
  }

  /** Every job record, oldest first. */
  public List<JobRecord> loadAll() {
    List<JobRecord> records = new ArrayList<>();
    for (String key : store.listKeys(PREFIX)) {
      if (key.endsWith("/" + RECORD)) {
        String jobId = key.substring(PREFIX.length(), key.length() - RECORD.length() - 1);
        records.add(read(jobId, store.get(key)));
      }
    }
    records.sort(Comparator.comparing(JobRecord::createdAt).thenComparing(JobRecord::jobId));
    return records;
  }

  /** Stores the resume state written after an epoch. */
  public void saveResumeState(String jobId, byte[] state) {
    store.put(key(jobId, RESUME), state, "application/octet-stream");
  }

  /** The resume state of a job's last completed epoch, if any. */
  public Optional<byte[]> resumeState(String jobId) {
    return store.find(key(jobId, RESUME));
  }

  /** Drops a finished job's resume state (the model supersedes it). */
  public void deleteResumeState(String jobId) {
    store.delete(key(jobId, RESUME));
  }

  private JobRecord read(String jobId, byte[] bytes) {
    try {
      return json.readValue(bytes, JobRecord.class);
    } catch (IOException e) {
      throw new IllegalStateException("unreadable record of job " + jobId + ": " + e.getMessage());
    }
  }

  private static String key(String jobId, String file) {
    return PREFIX + jobId + "/" + file;
  }
}
