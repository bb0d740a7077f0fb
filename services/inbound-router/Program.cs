using OrdersMail.BuildingBlocks.Hosting;
using OrdersMail.InboundRouter;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(InboundRouterService.Info);

var app = builder.Build();
app.MapDefaultEndpoints();

await app.RunAsync();
