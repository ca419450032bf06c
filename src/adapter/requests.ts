import {
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type BatchWriteCommandInput,
  type BatchWriteCommandOutput,
  type DeleteCommandInput,
  type DeleteCommandOutput,
  type GetCommandInput,
  type GetCommandOutput,
  type PutCommandInput,
  type PutCommandOutput,
  type QueryCommandInput,
  type QueryCommandOutput,
  type TransactWriteCommandInput,
  type TransactWriteCommandOutput,
  type UpdateCommandInput,
  type UpdateCommandOutput,
} from "@aws-sdk/lib-dynamodb";
import type { AdapterContext } from "./context.js";

// The one layer that sends requests. Request parameters are built by pure
// functions in the entity modules; these wrappers only pick the command class.

export const sendGet = (ctx: AdapterContext, region: string, input: GetCommandInput, operation: string) =>
  ctx.send(region, new GetCommand(input), operation) as Promise<GetCommandOutput>;

export const sendPut = (ctx: AdapterContext, region: string, input: PutCommandInput, operation: string) =>
  ctx.send(region, new PutCommand(input), operation) as Promise<PutCommandOutput>;

export const sendUpdate = (ctx: AdapterContext, region: string, input: UpdateCommandInput, operation: string) =>
  ctx.send(region, new UpdateCommand(input), operation) as Promise<UpdateCommandOutput>;

export const sendDelete = (ctx: AdapterContext, region: string, input: DeleteCommandInput, operation: string) =>
  ctx.send(region, new DeleteCommand(input), operation) as Promise<DeleteCommandOutput>;

export const sendQuery = (ctx: AdapterContext, region: string, input: QueryCommandInput, operation: string) =>
  ctx.send(region, new QueryCommand(input), operation) as Promise<QueryCommandOutput>;

export const sendTransactWrite = (ctx: AdapterContext, region: string, input: TransactWriteCommandInput, operation: string) =>
  ctx.send(region, new TransactWriteCommand(input), operation) as Promise<TransactWriteCommandOutput>;

export const sendBatchWrite = (ctx: AdapterContext, region: string, input: BatchWriteCommandInput, operation: string) =>
  ctx.send(region, new BatchWriteCommand(input), operation) as Promise<BatchWriteCommandOutput>;
