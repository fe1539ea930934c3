package uk.anprhub.model;

/**
 * Bounds on what one read may carry (docs/connector-contract.md section 4): a field over its bound is refused
 * {@code malformed-field}, an image over its bound {@code image-too-large}, so oversize values never reach the
 * store or NAS.
 *
 * @param maxText     characters of a free-text field (vehicle make/model/colour/type, device name and model, direction)
 * @param maxId       characters of an identifier (vendor read id, camera identity fields, country, time as sent, flags)
 * @param maxImageBytes bytes of one image after base64 decoding
 */
public record ReadLimits(int maxText, int maxId, long maxImageBytes) {

    public static final ReadLimits DEFAULTS = new ReadLimits(256, 128, 2L * 1024 * 1024);
}
