using OrdersMail.Testing.Infrastructure;

namespace OrdersMail.BuildingBlocks.Tests.Testing;

/// <summary>Which servers the tests run on, decided without a Docker engine: the ping is a stand-in.</summary>
public sealed class TestServerChoice_Specs
{
    private static readonly Func<Task<bool>> EngineAnswers = () => Task.FromResult(true);
    private static readonly Func<Task<bool>> NoEngine = () => Task.FromResult(false);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public async Task Unset_Should_choose_docker_when_an_engine_answers(string? unset) =>
        Assert.Equal(TestServerKind.Docker, await TestServerChoice.ChooseAsync(unset, EngineAnswers));

    [Fact]
    public async Task Unset_Should_choose_the_local_binaries_when_no_engine_answers() =>
        Assert.Equal(TestServerKind.Local, await TestServerChoice.ChooseAsync(null, NoEngine));

    [Theory]
    [InlineData("local")]
    [InlineData("LOCAL")]
    [InlineData(" Local ")]
    public async Task Forced_local_Should_choose_the_local_binaries_without_asking_for_an_engine(string forced)
    {
        var asked = false;

        var kind = await TestServerChoice.ChooseAsync(forced, () =>
        {
            asked = true;
            return Task.FromResult(true);
        });

        Assert.Equal(TestServerKind.Local, kind);
        Assert.False(asked);
    }

    [Theory]
    [InlineData("docker")]
    [InlineData("Docker")]
    public async Task Forced_docker_Should_choose_docker_when_an_engine_answers(string forced) =>
        Assert.Equal(TestServerKind.Docker, await TestServerChoice.ChooseAsync(forced, EngineAnswers));

    [Fact]
    public async Task Forced_docker_Should_fail_saying_so_when_no_engine_answers()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TestServerChoice.ChooseAsync("docker", NoEngine));

        Assert.Contains("ORDERSMAIL_TEST_SERVERS=docker", error.Message, StringComparison.Ordinal);
        Assert.Contains("no Docker engine answers", error.Message, StringComparison.Ordinal);
        Assert.Contains("ORDERSMAIL_TEST_SERVERS=local", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("podman")]
    [InlineData("true")]
    public async Task An_invalid_value_Should_fail_naming_it_and_the_choices(string forced)
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TestServerChoice.ChooseAsync(forced, EngineAnswers));

        Assert.Contains($"ORDERSMAIL_TEST_SERVERS='{forced}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("docker, local", error.Message, StringComparison.Ordinal);
    }
}
