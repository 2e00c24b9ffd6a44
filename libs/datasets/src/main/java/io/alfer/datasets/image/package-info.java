/**
 * Image bytes to canonical images: format sniffing, pixel-limit check before decoding, gray
 * conversion, centre crop, area-averaging resize, deterministic PNG and content id. Entry point:
 * {@link io.alfer.datasets.image.ImageNormalizer}.
 */
package io.alfer.datasets.image;
