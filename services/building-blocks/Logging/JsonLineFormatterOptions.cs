using Microsoft.Extensions.Logging.Console;

namespace OrdersMail.BuildingBlocks.Logging;

/// <summary>Settings of <see cref="JsonLineFormatter"/>.</summary>
public sealed class JsonLineFormatterOptions : ConsoleFormatterOptions
{
    /// <summary>The service name written on every line, so lines from several services can be mixed and still told apart.</summary>
    public string ServiceName { get; set; } = "";
}
