package io.signuppipeline.messaging.worker;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Who may call a worker's {@code /admin/**} endpoints: one operator, over HTTP Basic, with the
 * password from the environment. Everything else a worker serves (health, info, metrics) stays open,
 * as before Spring Security was on the classpath.
 */
final class AdminSecurity {

    private static final Logger log = LoggerFactory.getLogger(AdminSecurity.class);

    private AdminSecurity() {
    }

    static SecurityFilterChain adminEndpoints(HttpSecurity http) throws Exception {
        return http.securityMatcher("/admin/**")
                .authorizeHttpRequests(requests -> requests.anyRequest().hasRole("ADMIN"))
                .httpBasic(Customizer.withDefaults())
                .csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .build();
    }

    /** The operator, or nobody when no password is configured. */
    static InMemoryUserDetailsManager operator(WorkerProperties.Admin admin) {
        if (admin.password().isBlank()) {
            log.warn("No admin password (WORKER_ADMIN_PASSWORD): the admin endpoints refuse every request");
            return new InMemoryUserDetailsManager();
        }
        PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
        return new InMemoryUserDetailsManager(User.withUsername(admin.username())
                .password(encoder.encode(admin.password())).roles("ADMIN").build());
    }
}
