/**
 * Bounded, seeded fuzzing of HTTP endpoints: {@link io.alfer.testkit.fuzz.HttpFuzz} makes a fixed
 * number of mutated requests from a few valid bodies ({@link io.alfer.testkit.fuzz.FormPart} for
 * multipart forms), sends them, and checks that every answer is a JSON refusal or a success, never
 * a 5xx, that refusals change nothing, and that the service is still ready afterwards.
 */
package io.alfer.testkit.fuzz;
