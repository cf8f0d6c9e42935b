package dev.atomicfile.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.util.UriUtils;

/**
 * Refuses with a 400 problem detail every request whose path tries to leave its directory: a
 * segment that is {@code .} or {@code ..} as written or once percent-decoded ({@code %2e%2e}),
 * a backslash, or a {@code ;} path parameter. A legal encoding of an ordinary name
 * ({@code hello%2Etxt}) passes.
 *
 * <p>Without it the server quietly normalises {@code /documents/../x} to {@code /x}, which then
 * answers 404: safe, but it hides an attack behind a "not found". Encoded slashes, backslashes and
 * NUL ({@code %2F}, {@code %5C}, {@code %00}) never get this far: Tomcat refuses them itself, with
 * its own 400 page, before any filter runs.
 */
@Component
public class PathTraversalFilter extends OncePerRequestFilter {

	private final HandlerExceptionResolver exceptionResolver;

	/**
	 * @param exceptionResolver Spring MVC's resolver, so the refusal is the same problem detail
	 * a controller would give
	 */
	public PathTraversalFilter(@Qualifier("handlerExceptionResolver") HandlerExceptionResolver exceptionResolver) {
		this.exceptionResolver = exceptionResolver;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (isTraversal(request.getRequestURI())) {
			this.exceptionResolver.resolveException(request, response, null, new PathTraversalException());
			return;
		}
		chain.doFilter(request, response);
	}

	/** Whether the raw (undecoded, unnormalised) path holds a dot segment, a separator in a segment, or a parameter. */
	static boolean isTraversal(String rawPath) {
		if (rawPath.contains(";") || rawPath.contains("\\")) {
			return true;
		}
		for (String segment : rawPath.split("/", -1)) {
			String decoded;
			try {
				decoded = UriUtils.decode(segment, StandardCharsets.UTF_8);
			}
			catch (IllegalArgumentException ex) {
				return true;
			}
			if (decoded.equals(".") || decoded.equals("..") || decoded.contains("/") || decoded.contains("\\")
					|| decoded.indexOf('\0') >= 0) {
				return true;
			}
		}
		return false;
	}

}
