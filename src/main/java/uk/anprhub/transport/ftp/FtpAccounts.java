package uk.anprhub.transport.ftp;

import org.apache.ftpserver.ftplet.Authentication;
import org.apache.ftpserver.ftplet.AuthenticationFailedException;
import org.apache.ftpserver.ftplet.Authority;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.User;
import org.apache.ftpserver.ftplet.UserManager;
import org.apache.ftpserver.usermanager.UsernamePasswordAuthentication;
import org.apache.ftpserver.usermanager.impl.BaseUser;
import org.apache.ftpserver.usermanager.impl.ConcurrentLoginPermission;
import org.apache.ftpserver.usermanager.impl.WritePermission;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The camera accounts from configuration, read-only: bcrypt password hashes, each user jailed in its home folder
 * with write permission there. No anonymous login. Many cameras log in once per file, and bcrypt costs tens of
 * milliseconds of CPU by design, so a successful login is remembered for a few minutes as an HMAC of the password
 * under a key that lives only in memory; an unknown user costs a bcrypt check too (no user enumeration by timing).
 */
final class FtpAccounts implements UserManager {

    private static final Duration REMEMBER = Duration.ofMinutes(10);
    private static final BCryptPasswordEncoder BCRYPT = new BCryptPasswordEncoder();

    private record Remembered(byte[] mac, long until) {
    }

    private final Map<String, BaseUser> users = new LinkedHashMap<>();
    private final Map<String, String> hashes = new LinkedHashMap<>();
    private final Map<String, Remembered> remembered = new ConcurrentHashMap<>();
    private final byte[] key = new byte[32];
    /** bcrypt of a random string: compared against when the user does not exist. */
    private final String dummyHash;
    private final LoginGuard guard;

    /**
     * @param homes user name → absolute home folder
     */
    FtpAccounts(List<FtpProperties.Account> accounts, Map<String, String> homes, int maxIdleSeconds, int maxLoginsPerUser,
                LoginGuard guard) {
        this.guard = guard;
        SecureRandom random = new SecureRandom();
        random.nextBytes(key);
        dummyHash = BCRYPT.encode(Long.toHexString(random.nextLong()));
        for (FtpProperties.Account a : accounts) {
            BaseUser u = new BaseUser();
            u.setName(a.user());
            u.setPassword(null); // never handed to the server; checked here
            u.setHomeDirectory(homes.get(a.user()));
            u.setEnabled(true);
            u.setMaxIdleTime(maxIdleSeconds);
            List<Authority> authorities = List.of(new WritePermission(),
                    new ConcurrentLoginPermission(maxLoginsPerUser, maxLoginsPerUser));
            u.setAuthorities(authorities);
            users.put(a.user(), u);
            hashes.put(a.user(), a.passwordHash());
        }
    }

    @Override
    public User authenticate(Authentication authentication) throws AuthenticationFailedException {
        if (!(authentication instanceof UsernamePasswordAuthentication up) || up.getUsername() == null
                || up.getPassword() == null) {
            throw new AuthenticationFailedException("Authentication failed"); // anonymous and others: never
        }
        String name = up.getUsername();
        java.net.InetAddress address = up.getUserMetadata() == null ? null : up.getUserMetadata().getInetAddress();
        if (guard.locked(name, address)) {
            throw new AuthenticationFailedException("Authentication failed");
        }
        String hash = hashes.get(name);
        byte[] mac = mac(name, up.getPassword());
        Remembered r = remembered.get(name);
        if (hash != null && r != null && r.until > System.currentTimeMillis() && MessageDigest.isEqual(r.mac, mac)) {
            return users.get(name);
        }
        boolean ok = BCRYPT.matches(up.getPassword(), hash == null ? dummyHash : hash) && hash != null;
        if (!ok) {
            guard.failed(name, hash != null, address, hash == null ? "unknown-user" : "wrong-password");
            throw new AuthenticationFailedException("Authentication failed");
        }
        remembered.put(name, new Remembered(mac, System.currentTimeMillis() + REMEMBER.toMillis()));
        return users.get(name);
    }

    private byte[] mac(String user, String password) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(key, "HmacSHA256"));
            m.update(user.getBytes(StandardCharsets.UTF_8));
            m.update((byte) 0);
            return m.doFinal(password.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public User getUserByName(String name) {
        return users.get(name);
    }

    @Override
    public String[] getAllUserNames() {
        return users.keySet().toArray(String[]::new);
    }

    @Override
    public void delete(String name) throws FtpException {
        throw new FtpException("FTP accounts come from configuration (anpr.ftp.accounts)");
    }

    @Override
    public void save(User user) throws FtpException {
        throw new FtpException("FTP accounts come from configuration (anpr.ftp.accounts)");
    }

    @Override
    public boolean doesExist(String name) {
        return users.containsKey(name);
    }

    @Override
    public String getAdminName() {
        return null;
    }

    @Override
    public boolean isAdmin(String name) {
        return false;
    }
}
