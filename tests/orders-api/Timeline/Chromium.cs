using Microsoft.Playwright;

namespace OrdersMail.OrdersApi.Tests.Timeline;

/// <summary>
/// Debian's <c>chromium</c>, driven by Playwright through its executable path: Playwright cannot download a browser of its
/// own here. <c>tests/run.sh</c> installs the package; without it the browser specs fail saying so, never pass unseen.
/// </summary>
internal static class Chromium
{
    /// <summary>Where Debian's package puts it; <c>ORDERSMAIL_CHROMIUM</c> names another.</summary>
    public const string DefaultPath = "/usr/bin/chromium";

    /// <summary>How long a launch may take on a busy machine.</summary>
    private static readonly TimeSpan LaunchTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The executable the specs use.</summary>
    public static string ExecutablePath => Environment.GetEnvironmentVariable("ORDERSMAIL_CHROMIUM") is { Length: > 0 } path ? path : DefaultPath;

    /// <summary>Starts headless Chromium, or fails with what to install.</summary>
    public static async Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        ArgumentNullException.ThrowIfNull(playwright);
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException(
                $"Chromium is not installed at {ExecutablePath}: the timeline page's browser specs need Debian's chromium. " +
                "Install it as root with 'apt-get install -y chromium' (bash tests/run.sh does), or set ORDERSMAIL_CHROMIUM to a Chromium executable.");
        }

        return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Timeout = (float)LaunchTimeout.TotalMilliseconds,
        });
    }
}
