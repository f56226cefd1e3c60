// Recognises MongoDB server errors by their stable codes, the same way on MongoDB and FerretDB.
import mongoose from 'mongoose';

const DUPLICATE_KEY = 11000;

/** A write refused by a unique index: someone else's insert of the same key won. */
export function isDuplicateKey(err: unknown): boolean {
  return err instanceof mongoose.mongo.MongoServerError && err.code === DUPLICATE_KEY;
}
