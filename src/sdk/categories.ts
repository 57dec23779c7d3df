import type PocketBase from "pocketbase";
import { z } from "zod";
import { categoryRecordSchema, collections, type CategoryRecord } from "../generated/index.js";
import { request } from "./boundary.js";

export interface CategoriesApi {
  /** Every category, by name (reference data: a short list, so no paging). */
  list(): Promise<CategoryRecord[]>;
}

export function createCategoriesApi(pb: PocketBase): CategoriesApi {
  return {
    list: () =>
      request(z.array(categoryRecordSchema), "category list", () =>
        pb.collection(collections.categories.name).getFullList({ sort: "name" }),
      ),
  };
}
