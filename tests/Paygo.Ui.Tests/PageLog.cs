using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Playwright;

namespace Paygo.Ui.Tests;

/// <summary>
/// What the browser did, into the test's output beside the server's log (PaygoServer logs every
/// request on a socket): each navigation, request and response with its time, the page's load
/// events, script errors and a crash. A browser test fails by waiting — a page whose load event
/// never came — and the timeout alone does not say what it waited for; this does (which request
/// was still open, or that every request had finished and the page never fired load).
/// </summary>
internal static class PageLog
{
    public static void Attach(IPage page)
    {
        // Captured on the test's thread: Playwright raises its events on its own, without the test's context.
        var output = TestContext.Current.TestOutputHelper;
        if (output is null)
        {
            return;
        }

        var clock = Stopwatch.StartNew();
        var started = new ConcurrentDictionary<IRequest, long>();
        void Write(string text)
        {
            try
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:HH:mm:ss.fff} browser: {text}"));
            }
            catch (InvalidOperationException)
            {
                // An event after the test ended (the context closing) has no test to go to.
            }
        }

        string Took(IRequest request) =>
            started.TryRemove(request, out var at) ? string.Create(CultureInfo.InvariantCulture, $"{clock.ElapsedMilliseconds - at} ms") : "?";

        page.Request += (_, request) =>
        {
            started[request] = clock.ElapsedMilliseconds;
            Write($"-> {request.Method} {request.Url} ({request.ResourceType})");
        };
        page.RequestFinished += (_, request) => Write($"<- {request.Url} finished in {Took(request)}");
        page.RequestFailed += (_, request) => Write($"x  {request.Url} failed after {Took(request)}: {request.Failure}");
        page.FrameNavigated += (_, frame) =>
        {
            if (frame == page.MainFrame)
            {
                Write($"navigated to {frame.Url}");
            }
        };
        page.DOMContentLoaded += (_, _) => Write("DOMContentLoaded");
        page.Load += (_, _) => Write("load");
        page.PageError += (_, error) => Write($"script error: {error}");
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                Write($"console {message.Type}: {message.Text}");
            }
        };
        page.Crash += (_, _) => Write("the page crashed");
    }
}
