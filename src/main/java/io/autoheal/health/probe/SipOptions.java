package io.autoheal.health.probe;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Pure: a minimal well-formed SIP OPTIONS request (RFC 3261 §11: Via with a magic-cookie branch and rport, Max-Forwards,
 * To, From with a tag, Call-ID, CSeq, Content-Length) and the test of an answer: any SIP response ("SIP/2.0 NNN") means
 * the SIP stack is alive, whatever its code (a 404 or 405 still proves the process answers).
 */
public final class SipOptions {
    private SipOptions() {
    }

    public static byte[] request(String address, int port, String transport) {
        return request(address, port, transport, newCallId());
    }

    /** A fresh Call-ID: an answer over UDP must echo it (a stray or forged datagram does not). */
    public static String newCallId() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE) + "@autoheal.invalid";
    }

    public static byte[] request(String address, int port, String transport, String callId) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String branch = "z9hG4bK" + Long.toHexString(r.nextLong() & Long.MAX_VALUE);
        String tag = Long.toHexString(r.nextLong() & Long.MAX_VALUE);
        String host = address.contains(":") ? "[" + address + "]" : address;
        String text = "OPTIONS sip:" + host + ":" + port + " SIP/2.0\r\n"
                + "Via: SIP/2.0/" + transport + " autoheal.invalid;branch=" + branch + ";rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "To: <sip:" + host + ":" + port + ">\r\n"
                + "From: <sip:autoheal@autoheal.invalid>;tag=" + tag + "\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + "Accept: application/sdp\r\n"
                + "User-Agent: autoheal-operator\r\n"
                + "Content-Length: 0\r\n\r\n";
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** Whether {@code answer} carries this Call-ID header (long or compact form "i:", RFC 3261 §7.3.3). */
    public static boolean hasCallId(String answer, String callId) {
        for (String line : answer.split("\r\n", -1)) {
            if (line.isEmpty()) {
                return false; // end of the headers
            }
            int colon = line.indexOf(':');
            String name = colon < 0 ? "" : line.substring(0, colon).trim();
            if ((name.equalsIgnoreCase("Call-ID") || name.equalsIgnoreCase("i")) && line.substring(colon + 1).trim().equals(callId)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code answer} starts with a SIP status line. */
    public static boolean isResponse(byte[] answer, int length) {
        String head = new String(answer, 0, Math.min(length, 12), StandardCharsets.US_ASCII);
        return head.matches("SIP/2\\.0 [1-6][0-9][0-9].*");
    }
}
