using OrdersMail.BuildingBlocks.Hosting;
using OrdersMail.InboundRouter;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(InboundRouterService.Info, bus => bus.AddInboundRouterConsumers());
builder.AddInboundRouter();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapInboundRouter();

await app.RunAsync();
