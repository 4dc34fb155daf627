package io.signuppipeline.api.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Reads a request body completely before anyone parses it: it may be at most
 * {@code signup.api.max-request-body} long, and a JSON body must be UTF-8 that every reader decodes
 * alike ({@link Utf8Json}).
 *
 * <p>Failures surface as {@link BodyTooLarge} or {@link InvalidUtf8} when the body is first read,
 * inside Spring MVC, so the exception handler answers them like every other problem. Counting bytes
 * as they arrive also catches chunked bodies, which declare no length, and a length that lies.
 */
@Component
class RequestBodyFilter extends OncePerRequestFilter {

    private final long limit;

    RequestBodyFilter(ApiProperties properties) {
        this.limit = properties.maxRequestBody().toBytes();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(new CheckedBodyRequest(request, limit), response);
    }

    private static final class CheckedBodyRequest extends HttpServletRequestWrapper {

        private final long limit;
        private ServletInputStream body;

        CheckedBodyRequest(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (body == null) {
                body = new BufferedBody(readChecked());
            }
            return body;
        }

        private byte[] readChecked() throws IOException {
            if (getContentLengthLong() > limit) {
                throw new BodyTooLarge(limit);
            }
            InputStream in = super.getInputStream();
            byte[] bytes = in.readNBytes((int) limit + 1);
            if (bytes.length > limit) {
                throw new BodyTooLarge(limit);
            }
            MediaType json = jsonType();
            if (json != null) {
                Utf8Json.check(json, bytes);
            }
            return bytes;
        }

        /** The declared Content-Type if it is JSON, otherwise null: Spring MVC answers a 415 for the rest. */
        private MediaType jsonType() {
            try {
                MediaType type = MediaType.parseMediaType(getContentType());
                boolean json = type.isCompatibleWith(MediaType.APPLICATION_JSON) || type.getSubtype().endsWith("+json");
                return json ? type : null;
            } catch (RuntimeException e) {
                return null;
            }
        }
    }

    private static final class BufferedBody extends ServletInputStream {

        private final ByteArrayInputStream bytes;

        BufferedBody(byte[] body) {
            this.bytes = new ByteArrayInputStream(body);
        }

        @Override
        public int read() {
            return bytes.read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            return bytes.read(buffer, offset, length);
        }

        @Override
        public boolean isFinished() {
            return bytes.available() == 0;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
            throw new UnsupportedOperationException("The body is already buffered; read it synchronously.");
        }
    }
}
