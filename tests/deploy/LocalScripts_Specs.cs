using System.Text.RegularExpressions;
using OrdersMail.Testing.Infrastructure;

namespace OrdersMail.Deploy.Tests;

/// <summary>What README promises about deploy/local's scripts, read against the scripts themselves.</summary>
public sealed partial class LocalScripts_Specs
{
    private static readonly string Scripts = Path.Combine(RepositoryRoot.Path, "deploy", "local");

    /// <summary>
    /// README's second instance "needs only other ports and another data directory": its export must move every port
    /// the scripts give a fixed default, or up.sh stops at the first one the running instance holds, leaving the
    /// second instance's servers running.
    /// </summary>
    [Fact]
    public void The_second_instance_export_moves_every_port_the_scripts_fix()
    {
        var fixedPorts = Directory.EnumerateFiles(Scripts, "*.sh")
            .SelectMany(script => FixedPortDefault().Matches(File.ReadAllText(script)).Select(m => m.Groups["variable"].Value))
            .ToHashSet(StringComparer.Ordinal);
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "README.md"));
        var block = SecondInstanceBlock().Match(readme);

        Assert.True(block.Success, "README has no second-instance block (\"A second instance beside the first\" and its bash export)");
        Assert.NotEmpty(fixedPorts);
        Assert.Empty(fixedPorts.Where(variable => !block.Groups["export"].Value.Contains($"{variable}=", StringComparison.Ordinal)).Order());
    }

    /// <summary>Every command the scripts cannot do without is installed by them as root (README: they "install what they need").</summary>
    [Theory]
    [InlineData("curl")]
    [InlineData("ss")]
    [InlineData("flock")]
    public void The_prerequisites_install_each_command_the_scripts_need(string command) =>
        Assert.Matches($"command -v {command} >/dev/null 2>&1 \\|\\| missing\\+=", File.ReadAllText(Path.Combine(Scripts, "lib.sh")));

    [GeneratedRegex(@": ""\$\{(?<variable>ORDERSMAIL_\w+Port):=\d+\}""")]
    private static partial Regex FixedPortDefault();

    [GeneratedRegex(@"A second instance beside the first.*?```bash\n(?<export>.*?)```", RegexOptions.Singleline)]
    private static partial Regex SecondInstanceBlock();
}
