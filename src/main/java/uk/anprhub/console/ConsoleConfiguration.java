package uk.anprhub.console;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import uk.anprhub.camera.CameraRegistry;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import java.lang.management.ManagementFactory;
import java.time.Clock;

/** The hub's state in Hawtio: MBeans under {@code uk.anprhub} in the platform MBean server (where Jolokia looks). */
@Configuration(proxyBeanMethods = false)
public class ConsoleConfiguration {

    public static final String CAMERAS = "uk.anprhub:type=Cameras";

    /** Hawtio's page loads the hub's session-ended script (an ended session goes to the login page, no dialogs). */
    @Bean
    FilterRegistrationBean<HawtioPageScript> hawtioPageScript() {
        FilterRegistrationBean<HawtioPageScript> bean = new FilterRegistrationBean<>(new HawtioPageScript());
        bean.addUrlPatterns("/actuator/hawtio", "/actuator/hawtio/*");
        return bean;
    }

    @Bean(destroyMethod = "close")
    Registration camerasMBean(CameraRegistry registry, JdbcTemplate jdbc) throws JMException {
        return Registration.of(CAMERAS, new StandardMBean(new Cameras(registry, jdbc, Clock.systemUTC()), CamerasMBean.class));
    }

    /**
     * An MBean registered for the life of the context (replacing one left by an earlier context in this JVM; closing
     * the earlier context later leaves the newer registration alone).
     */
    record Registration(MBeanServer server, ObjectName name) implements AutoCloseable {
        private static final java.util.Map<ObjectName, Registration> OWNERS = new java.util.concurrent.ConcurrentHashMap<>();

        static synchronized Registration of(String name, Object mbean) throws JMException {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName on = new ObjectName(name);
            if (server.isRegistered(on)) {
                server.unregisterMBean(on);
            }
            server.registerMBean(mbean, on);
            Registration r = new Registration(server, on);
            OWNERS.put(on, r);
            return r;
        }

        @Override
        public void close() throws JMException {
            synchronized (Registration.class) {
                // identity, not equals: a newer context's registration of the same name is equal as a record
                if (OWNERS.get(name) == this && server.isRegistered(name)) {
                    OWNERS.remove(name);
                    server.unregisterMBean(name);
                }
            }
        }
    }
}
