package io.alfer.testkit.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Bounded, seeded fuzzing of one HTTP endpoint that takes a body. From a few valid bodies (raw, or
 * a multipart form) it makes a fixed number of requests — garbled, missing or mismatched {@code
 * Content-Type}s, truncated, bit-flipped, spliced, random, empty or oversized bodies, multipart
 * forms broken in their boundaries, headers or parts, random and type-changed JSON — sends them one
 * after another and checks every answer:
 *
 * <ul>
 *   <li>never a 5xx, and always an answer;
 *   <li>every 4xx is JSON with a non-empty reason (the {@code error} member of alfer's error body,
 *       or the member named by {@link #reasonField});
 *   <li>a refusal (4xx) changes nothing: the state given to {@link #unchangedBy} reads the same
 *       after it as before;
 *   <li>the service is still ready at the end ({@link #readyAt}).
 * </ul>
 *
 * <pre>{@code
 * HttpFuzz.Report report =
 *     HttpFuzz.post(base.resolve("/datasets/fuzz/images"))
 *         .seed(13)
 *         .requests(200)
 *         .body("image/png", png)
 *         .form(FormPart.file("file", "face.png", "image/png", png), FormPart.field("split", "pool"))
 *         .oversized(3 * 1024 * 1024)
 *         .unchangedBy(() -> store.listKeys(""))
 *         .readyAt(base.resolve("/q/health/ready"))
 *         .run();
 * }</pre>
 *
 * <p>Each request depends only on the seed, its index and the starting bodies, never on earlier
 * answers: a failure names the seed and index (with the request's headers and first bytes), and the
 * same seed makes the same requests again. {@link #run} sends them all, then fails with every
 * broken rule it saw (the first few described in full); {@link #requestsToSend} gives the requests
 * without sending them.
 */
public final class HttpFuzz {
  private static final int FAILURES_DESCRIBED = 5;
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final String method;
  private final URI uri;
  private final List<Seed> seeds = new ArrayList<>();
  private final Map<String, String> headers = new LinkedHashMap<>();
  private long seed = 1;
  private int requests = 200;
  private long oversized = -1;
  private String reasonField = "error";
  private Supplier<?> state;
  private URI ready;

  private HttpFuzz(String method, URI uri) {
    this.method = method;
    this.uri = uri;
  }

  /** Fuzzes {@code POST uri}. */
  public static HttpFuzz post(URI uri) {
    return request("POST", uri);
  }

  /** Fuzzes {@code method uri} (a method that takes a body: POST, PUT, PATCH). */
  public static HttpFuzz request(String method, URI uri) {
    return new HttpFuzz(method.toUpperCase(Locale.ROOT), Objects.requireNonNull(uri, "uri"));
  }

  /** The seed every request derives from (default 1). */
  public HttpFuzz seed(long seed) {
    this.seed = seed;
    return this;
  }

  /** How many requests to send (default 200). */
  public HttpFuzz requests(int requests) {
    if (requests < 1) {
      throw new IllegalArgumentException("at least one request, not " + requests);
    }
    this.requests = requests;
    return this;
  }

  /** A valid raw body to start from; JSON ones ({@code …json}) are also mutated as JSON. */
  public HttpFuzz body(String contentType, byte[] body) {
    seeds.add(new Seed(contentType, body.clone(), null));
    return this;
  }

  /** A valid {@code multipart/form-data} form to start from. */
  public HttpFuzz form(FormPart... parts) {
    if (parts.length == 0) {
      throw new IllegalArgumentException("a form needs a part");
    }
    seeds.add(new Seed(null, null, List.of(parts)));
    return this;
  }

  /** Also sends, now and then, a body of this many bytes (say the endpoint's limit plus one). */
  public HttpFuzz oversized(long bytes) {
    this.oversized = bytes;
    return this;
  }

  /** A header every request carries (e.g. a credential), unmutated. */
  public HttpFuzz header(String name, String value) {
    if (name.equalsIgnoreCase("Content-Type")) {
      throw new IllegalArgumentException("the Content-Type is what the fuzz varies");
    }
    headers.put(name, value);
    return this;
  }

  /** The member of a 4xx JSON body that holds its reason (default {@code error}). */
  public HttpFuzz reasonField(String name) {
    this.reasonField = name;
    return this;
  }

  /**
   * What a refusal must leave as it was, read before and after each request and compared with
   * {@link Object#equals} (e.g. the object store's keys, a topic's end offsets, a catalog view).
   */
  public HttpFuzz unchangedBy(Supplier<?> state) {
    this.state = state;
    return this;
  }

  /** A readiness URI that must answer 200 once every request was sent. */
  public HttpFuzz readyAt(URI uri) {
    this.ready = uri;
    return this;
  }

  /** The requests {@link #run} sends, in order. */
  public List<FuzzRequest> requestsToSend() {
    if (seeds.isEmpty()) {
      throw new IllegalStateException("no body or form to start from: call body(…) or form(…)");
    }
    List<FuzzRequest> out = new ArrayList<>(requests);
    for (int i = 0; i < requests; i++) {
      out.add(make(i));
    }
    return out;
  }

  /**
   * Sends every request and checks every answer.
   *
   * @return what was answered, for a test's own checks (e.g. that refusals were exercised)
   * @throws AssertionError naming each request whose answer broke a rule, and the readiness
   */
  public Report run() {
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    List<String> failures = new ArrayList<>();
    int failed = 0;
    Map<Integer, Integer> byStatus = new TreeMap<>();
    Map<String, Integer> byReason = new TreeMap<>();
    Object before = state == null ? null : state.get();
    for (FuzzRequest request : requestsToSend()) {
      String problem;
      try {
        HttpResponse<byte[]> answer = send(client, request);
        byStatus.merge(answer.statusCode(), 1, Integer::sum);
        Object after = state == null ? null : state.get();
        problem = judge(answer, before, after, byReason);
        before = after;
      } catch (IOException e) {
        problem = "no answer: " + e;
        before = state == null ? null : state.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted at " + request.describe(), e);
      }
      if (problem != null) {
        failed++;
        if (failures.size() < FAILURES_DESCRIBED) {
          failures.add(problem + "\n" + request.describe());
        }
      }
    }
    String readiness = ready == null ? null : readiness(client);
    if (failed > 0 || readiness != null) {
      StringBuilder message = new StringBuilder();
      if (failed > 0) {
        message
            .append(failed)
            .append(" of ")
            .append(requests)
            .append(" fuzzed requests to ")
            .append(method)
            .append(' ')
            .append(uri)
            .append(" broke a rule (answers by status: ")
            .append(byStatus)
            .append("); the first ")
            .append(failures.size())
            .append(":\n\n")
            .append(String.join("\n\n", failures));
      }
      if (readiness != null) {
        message.append(message.isEmpty() ? "" : "\n\n").append(readiness);
      }
      throw new AssertionError(message.toString());
    }
    return new Report(requests, byStatus, byReason);
  }

  /**
   * What a run was answered.
   *
   * @param sent requests sent
   * @param byStatus answers per HTTP status
   * @param byReason 4xx answers per reason
   */
  public record Report(int sent, Map<Integer, Integer> byStatus, Map<String, Integer> byReason) {
    /** Copies the maps. */
    public Report {
      byStatus = Map.copyOf(byStatus);
      byReason = Map.copyOf(byReason);
    }

    /** Answers with a status in {@code [from, to]}. */
    public int answered(int from, int to) {
      return byStatus.entrySet().stream()
          .filter(e -> e.getKey() >= from && e.getKey() <= to)
          .mapToInt(Map.Entry::getValue)
          .sum();
    }
  }

  private HttpResponse<byte[]> send(HttpClient client, FuzzRequest request)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(request.uri())
            .timeout(TIMEOUT)
            .method(request.method(), HttpRequest.BodyPublishers.ofByteArray(request.body()));
    request.headers().forEach(b::header);
    return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** What is wrong with an answer, or null. */
  private String judge(
      HttpResponse<byte[]> answer, Object before, Object after, Map<String, Integer> byReason) {
    int status = answer.statusCode();
    String body = new String(answer.body(), StandardCharsets.UTF_8);
    String shown = body.length() > 500 ? body.substring(0, 500) + "…" : body;
    if (status >= 500) {
      return "answered " + status + ": " + shown;
    }
    if (status < 400) {
      return null;
    }
    String type = answer.headers().firstValue("Content-Type").orElse("");
    if (!type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      return "answered " + status + " as '" + type + "', not JSON: " + shown;
    }
    JsonNode reason;
    try {
      reason = Json.MAPPER.readTree(answer.body()).path(reasonField);
    } catch (IOException e) {
      return "answered " + status + " with a body that is not JSON: " + shown;
    }
    if (!reason.isTextual() || reason.asText().isBlank()) {
      return "answered " + status + " without a '" + reasonField + "': " + shown;
    }
    byReason.merge(reason.asText(), 1, Integer::sum);
    if (!Objects.equals(before, after)) {
      return "answered "
          + status
          + " ("
          + reason.asText()
          + ") but changed the state\n  before: "
          + clip(before)
          + "\n  after:  "
          + clip(after);
    }
    return null;
  }

  private String readiness(HttpClient client) {
    try {
      HttpResponse<String> r =
          client.send(
              HttpRequest.newBuilder(ready).timeout(TIMEOUT).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200
          ? null
          : "after the fuzz, " + ready + " answered " + r.statusCode() + ": " + r.body();
    } catch (IOException e) {
      return "after the fuzz, " + ready + " did not answer: " + e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted asking " + ready;
    }
  }

  private static String clip(Object o) {
    String s = String.valueOf(o);
    return s.length() > 2000 ? s.substring(0, 2000) + "…" : s;
  }

  /** Request {@code index}: from its own random stream, so that it depends on nothing else. */
  private FuzzRequest make(int index) {
    Random random = new Random(seed * 0x9E3779B97F4A7C15L + index);
    Seed start = seeds.get(random.nextInt(seeds.size()));
    Map<String, String> h = new LinkedHashMap<>(headers);
    String boundary = Multipart.boundary(random);
    String ownType =
        start.isForm() ? "multipart/form-data; boundary=" + boundary : start.contentType();

    String bodyRecipe;
    byte[] body;
    int pick = random.nextInt(100);
    if (oversized > 0 && pick < 3) {
      bodyRecipe = "oversized";
      byte[] valid = start.isForm() ? formBody(start, boundary, random) : start.body();
      body = Bytes.padded(valid, oversized);
    } else if (start.isForm() && pick < 55) {
      // a form broken in its structure (or, for 15 in 100, left whole)
      Multipart.Break[] breaks = Multipart.Break.values();
      Multipart.Break how =
          pick < 15 ? Multipart.Break.NONE : breaks[1 + random.nextInt(breaks.length - 1)];
      bodyRecipe = "form-" + how.name().toLowerCase(Locale.ROOT);
      body = Multipart.write(start.parts(), boundary, how, random);
    } else if (start.isForm()) {
      // a whole form mangled as bytes
      Raw raw = pickRaw(random, formBody(start, boundary, random), false);
      bodyRecipe = "form+" + raw.recipe();
      body = raw.body();
    } else {
      Raw raw = pickRaw(random, start.body(), isJson(start.contentType()));
      bodyRecipe = raw.recipe();
      body = raw.body();
    }

    String typeRecipe;
    int t = random.nextInt(100);
    if (t < 50) {
      typeRecipe = "own-type";
      h.put("Content-Type", ownType);
    } else if (t < 58) {
      typeRecipe = "no-type";
    } else if (t < 62) {
      typeRecipe = "empty-type";
      h.put("Content-Type", "");
    } else if (t < 76) {
      typeRecipe = "garbled-type";
      h.put("Content-Type", ContentTypes.garbled(random));
    } else if (t < 90) {
      typeRecipe = "other-type";
      h.put("Content-Type", ContentTypes.other(random));
    } else {
      typeRecipe = "own-type-odd-parameters";
      h.put("Content-Type", ContentTypes.withParameters(ownType, random));
    }
    return new FuzzRequest(seed, index, method, uri, h, body, typeRecipe + " + " + bodyRecipe);
  }

  private static byte[] formBody(Seed start, String boundary, Random random) {
    return Multipart.write(start.parts(), boundary, Multipart.Break.NONE, random);
  }

  private record Raw(String recipe, byte[] body) {}

  private static Raw pickRaw(Random random, byte[] body, boolean json) {
    int pick = random.nextInt(json ? 100 : 88);
    if (pick < 15) {
      return new Raw("intact", body);
    } else if (pick < 32) {
      return new Raw("truncated", Bytes.truncate(body, random));
    } else if (pick < 49) {
      return new Raw("bit-flipped", Bytes.flipBits(body, random));
    } else if (pick < 59) {
      return new Raw("spliced", Bytes.splice(body, random));
    } else if (pick < 69) {
      return new Raw("random-bytes", Bytes.random(random, random.nextInt(16 * 1024)));
    } else if (pick < 77) {
      return new Raw("empty", new byte[0]);
    } else if (pick < 88) {
      return new Raw("random-json", Json.random(random));
    }
    byte[] mutated = Json.mutate(body, random);
    return mutated == null
        ? new Raw("random-json", Json.random(random))
        : new Raw("json-mutated", mutated);
  }

  private static boolean isJson(String contentType) {
    String t = contentType.toLowerCase(Locale.ROOT);
    int semicolon = t.indexOf(';');
    String essence = (semicolon < 0 ? t : t.substring(0, semicolon)).trim();
    return essence.equals("application/json") || essence.endsWith("+json");
  }

  /** A body to start from: a raw body with its type, or the parts of a form. */
  private record Seed(String contentType, byte[] body, List<FormPart> parts) {
    boolean isForm() {
      return parts != null;
    }
  }
}
