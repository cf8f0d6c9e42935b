package dev.atomicfile.sample;

import java.io.IOException;
import java.util.Locale;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Refuses with 400 every request whose raw path tries to leave its directory: a {@code .} or
 * {@code ..} segment, an encoded dot, slash or backslash, or a {@code ;} path parameter.
 *
 * <p>Without it the server quietly normalises {@code /documents/../x} to {@code /x}, which then
 * answers 404: safe, but it hides an attack behind a "not found". Encoded slashes and
 * backslashes never get this far: the server itself refuses them with 400.
 */
@Component
public class PathTraversalFilter extends OncePerRequestFilter {

	private static final Pattern DOT_SEGMENT = Pattern.compile("(^|/)\\.{1,2}(/|$)");

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

	/** Whether the raw (undecoded, unnormalised) path holds a dot segment or an encoded separator. */
	static boolean isTraversal(String rawPath) {
		String path = rawPath.toLowerCase(Locale.ROOT);
		return path.contains("%2e") || path.contains("%2f") || path.contains("%5c") || path.contains("\\")
				|| path.contains(";") || DOT_SEGMENT.matcher(path).find();
	}

}
