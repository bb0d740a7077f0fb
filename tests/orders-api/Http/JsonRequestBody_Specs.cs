using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using OrdersMail.OrdersApi.Http;

namespace OrdersMail.OrdersApi.Tests.Http;

/// <summary>
/// What the body reader leaves to the building blocks' handler of unreadable bodies, which answers with Kestrel's own
/// status: only Kestrel refuses a body for coming too slowly, so the reader is given the refusal Kestrel throws.
/// </summary>
public sealed class JsonRequestBody_Specs
{
    [Theory]
    [InlineData(StatusCodes.Status408RequestTimeout)]
    [InlineData(StatusCodes.Status400BadRequest)]
    public async Task When_kestrel_refuses_the_body_while_it_is_read_Should_leave_its_status_to_the_handler(int status)
    {
        var request = new DefaultHttpContext().Request;
        request.Body = new RefusedBody(new BadHttpRequestException("Kestrel refused the body.", status));

        var refused = await Assert.ThrowsAsync<BadHttpRequestException>(
            () => new JsonRequestBody(Options.Create(new HttpOptions())).ReadAsync(request, CancellationToken.None));

        Assert.Equal(status, refused.StatusCode);
    }

    [Fact]
    public async Task When_kestrel_refuses_the_body_for_its_size_Should_answer_it_over_the_limit()
    {
        var request = new DefaultHttpContext().Request;
        request.Body = new RefusedBody(new BadHttpRequestException("Too large.", StatusCodes.Status413PayloadTooLarge));

        using var read = await new JsonRequestBody(Options.Create(new HttpOptions())).ReadAsync(request, CancellationToken.None);

        Assert.NotNull(read.TooLarge);
    }

    // A request body whose every read fails as Kestrel's does.
    private sealed class RefusedBody(Exception refusal) : MemoryStream
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromException<int>(refusal);
    }
}
