package io.msabatch.api;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Properties;

/**
 * A user name and password for the OpenProtein login. {@link #toString()} never shows the password, so the
 * object can be logged or put in an exception message safely; the password leaves it only through
 * {@link #password()} when the login form is built.
 */
public final class Credentials {

    /** The official SDK's environment variable names. */
    public static final String USERNAME_ENV = "OPENPROTEIN_USERNAME";
    public static final String PASSWORD_ENV = "OPENPROTEIN_PASSWORD";

    private final String username;
    private final String password;

    public Credentials(String username, String password) {
        if (username == null || username.isBlank() || password == null || password.isEmpty()) {
            throw new IllegalArgumentException("OpenProtein credentials need a non-empty username and password");
        }
        this.username = username;
        this.password = password;
    }

    /**
     * Reads a Java properties file with {@code username=} and {@code password=}. The message of the exception on
     * a missing key names the file and the key, never a value.
     */
    public static Credentials fromFile(Path file) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read OpenProtein credentials file " + file + ": "
                    + e.getClass().getSimpleName());
        }
        String user = p.getProperty("username");
        String pass = p.getProperty("password");
        if (user == null || user.isBlank() || pass == null || pass.isEmpty()) {
            throw new IllegalArgumentException("OpenProtein credentials file " + file
                    + " must contain the lines username=<name> and password=<password>");
        }
        return new Credentials(user.trim(), pass);
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Credentials c && c.username.equals(username) && c.password.equals(password);
    }

    @Override
    public int hashCode() {
        return Objects.hash(username, password);
    }

    @Override
    public String toString() {
        return "Credentials[username=" + username + ", password=****]";
    }
}
