package io.signuppipeline.api.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Caps every request body at {@code signup.api.max-request-body}, declared length or not.
 *
 * <p>Reading past the cap fails with {@link BodyTooLarge}, which the exception handler turns into a
 * 413 problem. Counting the bytes as they are read also catches chunked bodies, which declare no
 * length, and a length header that lies.
 */
@Component
class BodyLimitFilter extends OncePerRequestFilter {

    private final long limit;

    BodyLimitFilter(ApiProperties properties) {
        this.limit = properties.maxRequestBody().toBytes();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(new HttpServletRequestWrapper(request) {
            private ServletInputStream limited;

            @Override
            public ServletInputStream getInputStream() throws IOException {
                if (limited == null) {
                    limited = new LimitedInputStream(super.getInputStream(), limit, request.getContentLengthLong());
                }
                return limited;
            }
        }, response);
    }

    private static final class LimitedInputStream extends ServletInputStream {

        private final ServletInputStream delegate;
        private final long limit;
        private final long declaredLength;
        private long read;

        LimitedInputStream(ServletInputStream delegate, long limit, long declaredLength) {
            this.delegate = delegate;
            this.limit = limit;
            this.declaredLength = declaredLength;
        }

        @Override
        public int read() throws IOException {
            refuseDeclaredExcess();
            int b = delegate.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            refuseDeclaredExcess();
            int n = delegate.read(buffer, offset, (int) Math.min(length, limit + 1 - read));
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void refuseDeclaredExcess() throws BodyTooLarge {
            if (declaredLength > limit) {
                throw new BodyTooLarge(limit);
            }
        }

        private void count(int bytes) throws BodyTooLarge {
            read += bytes;
            if (read > limit) {
                throw new BodyTooLarge(limit);
            }
        }

        @Override
        public boolean isFinished() {
            return delegate.isFinished();
        }

        @Override
        public boolean isReady() {
            return delegate.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            delegate.setReadListener(listener);
        }
    }
}
